/**
 * The frontend timings of `make bench` (issue 11 §1.6), in a real browser on real sandbox data
 * (the demo with `--scale 10000`, see playwright.bench.config.ts):
 *
 * - panel: from the click on the openBIS panel's tab until the openBIS tree shows a top level of 1,000
 *   spaces (the page size set to its maximum, 1,000, for this test) and answers a key: ArrowDown
 *   selects the first row. The level's request is held until the click, so the time covers
 *   asking the server, rendering and the first keypress, as when a user opens the panel while
 *   the tree is still loading;
 * - firstPage: from the ArrowRight that expands /BENCH/LOAD/MANY (10,000 datasets) until its
 *   first page (the default 100 rows) is rendered.
 *
 * Each is taken on a fresh page per run; its reference, the same request(s) sent by `fetch`
 * from the page, is taken in the same run. Times are the browser's own clock (event
 * timeStamp, performance.now() in animation frames; the end is the frame after the rows
 * appeared, so their paint is included). A warm-up run, not counted, first meets the cold
 * server. The samples are written as JSON to BENCH_FRONTEND_OUT after every run. With
 * BENCH_TRACE=<folder>, the first counted run of each is also recorded as a Chrome performance
 * trace there (panel.json, first-page.json; open them in Chrome's Performance tab).
 */
import { expect, galata, test } from '@jupyterlab/galata';
import { Browser, Page, Route } from '@playwright/test';
import * as fs from 'fs';
import * as path from 'path';

import { OpenbisSection } from '../tests/helpers/OpenbisSection';

const RUNS = Math.max(1, Number(process.env.BENCH_RUNS || '3'));
const OUT = process.env.BENCH_FRONTEND_OUT || 'test-results/bench-frontend.json';
const WIDE_ROWS = 1000;
const FIRST_PAGE = 100;
const COLLECTION = '/BENCH/LOAD/MANY';
/** Datasets in COLLECTION: the demo's --scale (playwright.bench.config.ts). */
const SCALE = Number(process.env.BENCH_SCALE || '10000');
const SPACES_ROUTE = '**/reana-openbis-lab/openbis/connections/openbis/spaces?*';
const SIDEBAR = '#reana-openbis-lab-openbis';
const TRACE = process.env.BENCH_TRACE;

/** Milliseconds of one run of one figure, on the page's clock. */
interface ISample {
  /** Start (the click or key) to: the rows in the DOM, laid out, the key answered, the end. */
  inDom: number;
  rendered: number;
  answered: number;
  total: number;
  /** Start to the end of the level's response(s) (resource timing): the network's part. */
  response: number;
  /** The same request(s) by fetch from the page: the reference. */
  fetch: number;
}

const results: Record<'panel' | 'firstPage', { warmUp: ISample[]; samples: ISample[] }> = {
  panel: { warmUp: [], samples: [] },
  firstPage: { warmUp: [], samples: [] }
};

function save(): void {
  fs.mkdirSync(path.dirname(OUT), { recursive: true });
  fs.writeFileSync(
    OUT,
    JSON.stringify(
      { runs: RUNS, wideRows: WIDE_ROWS, firstPageRows: FIRST_PAGE, ...results },
      null,
      2
    )
  );
}

/** The same requests, sent in parallel by fetch from the page and read whole: milliseconds. */
async function fetchTime(page: Page, urls: string[]): Promise<number> {
  return page.evaluate(async urls => {
    const started = performance.now();
    await Promise.all(urls.map(async url => (await fetch(url)).json()));
    return performance.now() - started;
  }, urls);
}

/** When the last of these requests' responses ended, on the page's clock (resource timing). */
async function responseEnd(page: Page, urls: string[]): Promise<number> {
  return page.evaluate(urls => {
    const ends = performance
      .getEntriesByType('resource')
      .filter(entry => urls.includes(entry.name))
      .map(entry => (entry as PerformanceResourceTiming).responseEnd);
    return ends.length ? Math.max(...ends) : NaN;
  }, urls);
}

/**
 * Start watching in the page: the first `startEvent` is time zero; then, frame by frame, wait
 * until `rows` tree rows of `level` (any, when 0) exist with the first on screen; with `key`,
 * press it on the tree and wait until a row is selected. Resolves `window.benchTiming`.
 */
async function watch(
  page: Page,
  options: { startEvent: string; rows: number; level: number; key?: string }
): Promise<void> {
  await page.evaluate(
    ({ options, sidebar }) => {
      const clock = { start: NaN };
      document.addEventListener(
        options.startEvent,
        event => {
          if (isNaN(clock.start)) {
            clock.start = event.timeStamp;
          }
        },
        { capture: true }
      );
      const frame = () =>
        new Promise<number>(resolve => requestAnimationFrame(() => resolve(performance.now())));
      const selector = options.level
        ? `[role="treeitem"][aria-level="${options.level}"]`
        : '[role="treeitem"]';
      const marks = { inDom: NaN, rendered: NaN };
      const shown = (): HTMLElement | null => {
        const tree = document.querySelector<HTMLElement>(`${sidebar} [role="tree"]`);
        const rows = tree?.querySelectorAll<HTMLElement>(selector);
        if (isNaN(clock.start) || !tree || !rows || rows.length < options.rows) {
          return null;
        }
        if (isNaN(marks.inDom)) {
          marks.inDom = performance.now();
        }
        // Asking for a box makes the browser lay the rows out now (else it would in this frame).
        const onScreen = rows[0].getBoundingClientRect().height > 0;
        marks.rendered = performance.now();
        return onScreen ? tree : null;
      };
      (window as unknown as { benchTiming: Promise<Record<string, number>> }).benchTiming =
        (async () => {
          let tree = null;
          while (!(tree = shown())) {
            await frame();
          }
          if (options.key) {
            tree.focus();
            tree.dispatchEvent(
              new KeyboardEvent('keydown', { key: options.key, bubbles: true, cancelable: true })
            );
            while (!tree.querySelector('[role="treeitem"][aria-selected="true"]')) {
              await frame();
            }
          }
          const answered = performance.now();
          const painted = await frame();
          return { start: clock.start, ...marks, answered, painted };
        })();
    },
    { options, sidebar: SIDEBAR }
  );
}

/** Start a Chrome trace of `page` into BENCH_TRACE/<name> on the first counted run. */
async function trace(browser: Browser, page: Page, run: number, name: string): Promise<boolean> {
  if (!TRACE || run !== 1) {
    return false;
  }
  fs.mkdirSync(TRACE, { recursive: true });
  await browser.startTracing(page, { path: path.join(TRACE, name), screenshots: false });
  return true;
}

async function timing(page: Page): Promise<Record<string, number>> {
  return page.evaluate(
    () => (window as unknown as { benchTiming: Promise<Record<string, number>> }).benchTiming
  );
}

test.describe('Panel with 1,000 items', () => {
  test.use({
    autoGoto: false,
    mockSettings: {
      ...galata.DEFAULT_SETTINGS,
      'reana-openbis-lab:openbis-section': { pageSize: WIDE_ROWS }
    }
  });

  for (let run = 0; run <= RUNS; run++) {
    test(run === 0 ? 'warm-up' : `run ${run}`, async ({ browser, page }) => {
      // The top level's request waits for the click, so the time covers it.
      let release = () => {};
      const held = new Promise<void>(resolve => (release = resolve));
      let requested: (url: string) => void = () => {};
      const asked = new Promise<string>(resolve => (requested = resolve));
      await page.route(SPACES_ROUTE, async (route: Route) => {
        requested(route.request().url());
        await held;
        await route.continue();
      });
      await page.goto();
      const url = await asked;
      expect(new URL(url).searchParams.get('count'), 'the bench page size').toBe(`${WIDE_ROWS}`);
      const tab = page.getByRole('tab', { name: 'openBIS', exact: true });
      await expect(page.locator(SIDEBAR)).toBeHidden();

      await watch(page, { startEvent: 'pointerdown', rows: WIDE_ROWS, level: 1, key: 'ArrowDown' });
      const tracing = await trace(browser, page, run, 'panel.json');
      await tab.click();
      release();
      const t = await timing(page);
      if (tracing) {
        await browser.stopTracing();
      }
      await page.unroute(SPACES_ROUTE);
      const sample: ISample = {
        inDom: t.inDom - t.start,
        rendered: t.rendered - t.start,
        answered: t.answered - t.start,
        total: t.painted - t.start,
        response: (await responseEnd(page, [url])) - t.start,
        fetch: await fetchTime(page, [url])
      };
      results.panel[run === 0 ? 'warmUp' : 'samples'].push(sample);
      save();
    });
  }
});

test.describe('First page of a 10,000-dataset level', () => {
  let urls: string[] = [];

  for (let run = 0; run <= RUNS; run++) {
    test(run === 0 ? 'warm-up' : `run ${run}`, async ({ browser, page }) => {
      const openbis = new OpenbisSection(page);
      await openbis.open();
      await openbis.expandPath('BENCH', 'LOAD');
      const many = openbis.treeItem('MANY');
      await many.click();
      // Odd runs take the reference first (the URLs are those the warm-up's expand sent).
      const referenceFirst = run % 2 === 1 && urls.length > 0;
      const reference = referenceFirst ? await fetchTime(page, urls) : NaN;

      const sent: string[] = [];
      page.on('request', request => {
        const query = new URL(request.url()).searchParams;
        if (query.get('collection') === COLLECTION) {
          sent.push(request.url());
        }
      });
      await watch(page, { startEvent: 'keydown', rows: FIRST_PAGE, level: 4 });
      const tracing = await trace(browser, page, run, 'first-page.json');
      await page.keyboard.press('ArrowRight');
      const t = await timing(page);
      if (tracing) {
        await browser.stopTracing();
      }
      await expect(many).toHaveAttribute('aria-expanded', 'true');
      const more = `Load more (${FIRST_PAGE} of ${SCALE.toLocaleString('en-US')} shown)`;
      await expect(openbis.tree.getByRole('button', { name: more })).toBeVisible();
      urls = sent;
      const sample: ISample = {
        inDom: t.inDom - t.start,
        rendered: t.rendered - t.start,
        answered: t.answered - t.start,
        total: t.painted - t.start,
        response: (await responseEnd(page, sent)) - t.start,
        fetch: referenceFirst ? reference : await fetchTime(page, sent)
      };
      results.firstPage[run === 0 ? 'warmUp' : 'samples'].push(sample);
      save();
    });
  }
});
