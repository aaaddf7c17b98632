import { expect, test } from './helpers/test';
import { join } from 'path';

import { addConnections, ensureRuns, removeConnections } from './helpers/layout';
import { OpenbisSection } from './helpers/OpenbisSection';
import { Reana } from './helpers/Reana';

/** Where the README takes its pictures from. */
const SCREENSHOTS_DIR = join(__dirname, '..', '..', 'docs', 'screenshots');

/** The three sizes the issue names, each in one theme at least, the smallest in both. */
const SIZES = {
  light: [
    { width: 1440, height: 900 },
    { width: 1024, height: 700 }
  ],
  dark: [
    { width: 1280, height: 800 },
    { width: 1024, height: 700 }
  ]
};

/**
 * The whole window with the openBIS panel (tree opened a few levels) and the REANA panel,
 * with three openBIS and two REANA connections, at the three sizes the issue names, in
 * both themes; not a check, so it only runs on request:
 * `DOCS_SCREENSHOTS=1 jlpm playwright test home-screenshots`.
 */
test.describe('README screenshots of the panels', () => {
  test.skip(!process.env.DOCS_SCREENSHOTS, 'set DOCS_SCREENSHOTS=1 to refresh docs/screenshots');

  test.beforeEach(async ({ page }) => {
    await addConnections(page);
    await ensureRuns(page, 24);
    await page.activity.closeAll();
  });

  test.afterEach(async ({ page }) => {
    await removeConnections(page);
  });

  for (const theme of ['light', 'dark'] as const) {
    test(`the openBIS and REANA panels in the ${theme} theme`, async ({ page }) => {
      if (theme === 'dark') {
        await page.theme.setDarkTheme();
      }
      const openbis = new OpenbisSection(page);
      const reana = new Reana(page);
      // The main area shows what the panels open: a dataset's view and a run's view.
      await openbis.open();
      await openbis.sidebar.refresh();
      await openbis.expandPath('LAB_A', 'MICROSCOPY', 'IMAGING_2024, Imaging 2024');
      await openbis.treeItem('Raw measurement 3', { exact: true }).first().click();
      await page.keyboard.press('Enter');
      await expect(openbis.datasetView('Raw measurement 3')).toBeVisible();
      await reana.open();
      await reana.openRun('demo-finished.1');
      await reana.search.fill('');
      await expect(reana.runs.getByRole('listitem')).toHaveCount(20);
      for (const size of SIZES[theme]) {
        await page.setViewportSize(size);
        await openbis.open();
        await page.activity.activateTab('Raw measurement 3');
        await expect(openbis.tree.getByText('Loading…')).toHaveCount(0);
        await expect(openbis.treeItem('Raw measurement 3', { exact: true }).first()).toBeVisible();
        await page.mouse.move(size.width - 20, size.height - 60);
        await page.screenshot({
          path: join(SCREENSHOTS_DIR, `home-openbis-${size.width}-${theme}.png`)
        });
        await reana.open();
        await page.activity.activateTab('demo-finished.1');
        await expect(reana.runs.getByRole('listitem').first()).toBeVisible();
        await page.mouse.move(size.width - 20, size.height - 60);
        await page.screenshot({
          path: join(SCREENSHOTS_DIR, `home-reana-${size.width}-${theme}.png`)
        });
      }
    });
  }
});
