/**
 * How much the extension adds to JupyterLab's start (issue 15 §4), for `make bench`: from the
 * page's navigation until JupyterLab has restored its layout (`app.restored`: every plugin
 * activated, the side panels and views back), with the extension and, alternated in the same
 * run, without it (its entry removed from the page's list of prebuilt extensions, so not even
 * its remote entry is fetched). Each run is a fresh browser context (a cold cache), after one
 * warm-up of each that meets the cold server. Milliseconds on the page's clock, written as
 * JSON to BENCH_STARTUP_OUT after every run.
 */
import { test } from '@jupyterlab/galata';
import { Page, Route } from '@playwright/test';
import * as fs from 'fs';
import * as path from 'path';

const RUNS = Math.max(1, Number(process.env.BENCH_RUNS || '3'));
const OUT = process.env.BENCH_STARTUP_OUT || 'test-results/bench-startup.json';
/** The extension's name in JupyterLab's page configuration (package.json `name`). */
const EXTENSION = 'reana-openbis-lab';

const results: Record<'with' | 'without', { warmUp: number[]; samples: number[] }> = {
  with: { warmUp: [], samples: [] },
  without: { warmUp: [], samples: [] }
};

function save(): void {
  fs.mkdirSync(path.dirname(OUT), { recursive: true });
  fs.writeFileSync(OUT, JSON.stringify({ runs: RUNS, ...results }, null, 2));
}

/** Note when JupyterLab has restored, as soon as it exposes itself (Galata's page config). */
async function watchRestored(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const marks = window as unknown as { benchRestored?: number };
    let app: { restored: Promise<void> } | undefined;
    Object.defineProperty(window, 'jupyterapp', {
      configurable: true,
      get: () => app,
      set: value => {
        app = value;
        void value.restored.then(() => (marks.benchRestored = performance.now()));
      }
    });
  });
}

/** Serve the lab page with the extension left out of its prebuilt extensions. */
async function withoutExtension(page: Page): Promise<void> {
  await page.route(/\/lab(\/[^?]*)?(\?.*)?$/, async (route: Route) => {
    if (route.request().resourceType() !== 'document') {
      return route.continue();
    }
    const response = await route.fetch();
    const html = await response.text();
    const body = html.replace(
      /(<script id="jupyter-config-data" type="application\/json">)([\s\S]*?)(<\/script>)/,
      (_, open: string, json: string, close: string) => {
        const config = JSON.parse(json);
        config.federated_extensions = (config.federated_extensions ?? []).filter(
          (entry: { name: string }) => entry.name !== EXTENSION
        );
        return open + JSON.stringify(config) + close;
      }
    );
    await route.fulfill({ response, body });
  });
}

test.describe('JupyterLab start with and without the extension', () => {
  test.use({ autoGoto: false });

  for (let run = 0; run <= RUNS; run++) {
    // ABBA: odd runs measure without the extension first.
    const order: ('with' | 'without')[] = run % 2 ? ['without', 'with'] : ['with', 'without'];
    for (const way of order) {
      test(`${run === 0 ? 'warm-up' : `run ${run}`} ${way} the extension`, async ({ page }) => {
        await watchRestored(page);
        if (way === 'without') {
          await withoutExtension(page);
        }
        await page.goto();
        const restored = await page.waitForFunction(
          () => (window as unknown as { benchRestored?: number }).benchRestored
        );
        const loaded = await page.evaluate(() =>
          Boolean(document.getElementById('reana-openbis-lab-openbis'))
        );
        if (loaded !== (way === 'with')) {
          throw new Error(`the openBIS panel is ${loaded ? '' : 'not '}there ${way} the extension`);
        }
        results[way][run === 0 ? 'warmUp' : 'samples'].push((await restored.jsonValue()) ?? NaN);
        save();
      });
    }
  }
});
