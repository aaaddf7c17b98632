import { expect, galata, test } from './helpers/test';
import { join } from 'path';

import { Reana } from './helpers/Reana';

/** Where the README takes its pictures from. */
const SCREENSHOTS_DIR = join(__dirname, '..', '..', 'docs', 'screenshots');

const BROKEN = `version: 0.9.0
inputs:
  parameters:
    n: 3
    name: world
workflow:
  type: serial
  specification:
    steps:
      - environment: docker.io/library/python:3.11-slim
        command:
          - echo \${n} \${nme}
`;

/**
 * The REANA screens for the README in both themes; not a check, so it only runs on
 * request: `DOCS_SCREENSHOTS=1 jlpm playwright test reana-screenshots`.
 */
test.describe('README screenshots of the REANA part', () => {
  test.skip(!process.env.DOCS_SCREENSHOTS, 'set DOCS_SCREENSHOTS=1 to refresh docs/screenshots');
  test.use({
    viewport: { width: 1280, height: 800 },
    mockSettings: {
      ...galata.DEFAULT_SETTINGS,
      'reana-openbis-lab:reana-section': { pageSize: 8 }
    }
  });

  for (const theme of ['light', 'dark'] as const) {
    test(`screens in the ${theme} theme`, async ({ page, tmpPath }) => {
      if (theme === 'dark') {
        await page.theme.setDarkTheme();
      }
      const shot = (name: string, clip?: { x: number; y: number; width: number; height: number }) =>
        page.screenshot({ path: join(SCREENSHOTS_DIR, `reana-${name}-${theme}.png`), clip });
      const reana = new Reana(page);
      await reana.open();
      await expect(reana.runs.getByRole('listitem').first()).toBeVisible();
      await page.mouse.move(900, 700);
      const box = await reana.section.boundingBox();
      await shot('list', { x: 0, y: 0, width: (box?.x ?? 33) + (box?.width ?? 300), height: 800 });

      await reana.search.fill('demo-finished');
      const view = await reana.openRun('demo-finished.1');
      await view.getByText('Specification', { exact: true }).click();
      await page.mouse.move(900, 700);
      await shot('overview');
      await view.getByRole('tab', { name: 'Logs' }).click();
      await view.getByRole('button', { name: /histogram/ }).click();
      await shot('logs');
      await view.getByRole('tab', { name: 'Workspace' }).click();
      await view.getByRole('checkbox', { name: 'Select results/summary.txt' }).check();
      await shot('workspace');
      await page.activity.closeAll();

      await page.activity.closeAll();
      await page.contents.uploadContent(BROKEN, 'text', `${tmpPath}/reana.yaml`);
      await page.sidebar.openTab('filebrowser');
      await page.filebrowser.refresh();
      await page.getByRole('listitem', { name: /^Name: reana\.yaml/ }).click({ button: 'right' });
      await page.getByRole('menuitem', { name: 'Validate REANA Specification' }).click();
      const validation = page.locator('.jp-ReanaOpenbis-validation');
      await expect(validation.getByRole('status')).toContainText('Not valid');
      await validation.getByRole('list', { name: 'Errors' }).getByRole('button').first().click();
      await expect(page.locator('.jp-ReanaOpenbis-diagnostic.jp-mod-error').first()).toBeVisible();
      await page.mouse.move(900, 20);
      await shot('validate');
      await page.activity.closeAll();

      await page.filebrowser.openDirectory('/analysis');
      await page.getByRole('listitem', { name: /^Name: reana\.yaml/ }).click({ button: 'right' });
      await page.getByRole('menuitem', { name: 'Run on REANA…' }).click();
      const dialog = page.locator('.jp-Dialog');
      await expect(dialog.getByRole('status')).toHaveText('The specification is valid.');
      await dialog.getByRole('textbox', { name: 'output' }).fill('results/hello.txt');
      await shot('run-dialog');
      await dialog.getByRole('button', { name: 'Cancel' }).click();
    });
  }
});
