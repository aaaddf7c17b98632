import { expect, test } from './helpers/test';
import { join } from 'path';

import { OpenbisSection } from './helpers/OpenbisSection';

/** Where the README takes its pictures from. */
const SCREENSHOTS_DIR = join(__dirname, '..', '..', 'docs', 'screenshots');

/** The left side bar with the open panel (tab bar and panel), tall enough for the tree. */
const SIDEBAR_CLIP = { x: 0, y: 0, width: 400, height: 640 };

const THEMES = ['light', 'dark'] as const;

/**
 * Refreshes the README screenshots of the openBIS part; not a check, so it only runs on
 * request: `DOCS_SCREENSHOTS=1 jlpm playwright test openbis-screenshots`.
 */
test.describe('README screenshots of openBIS', () => {
  test.skip(!process.env.DOCS_SCREENSHOTS, 'set DOCS_SCREENSHOTS=1 to refresh docs/screenshots');
  test.use({ viewport: { width: 1280, height: 720 } });

  for (const theme of THEMES) {
    test(`openBIS screens in the ${theme} theme`, async ({ page, consoleErrors }) => {
      consoleErrors.expect(
        /status of 409 .*\/openbis\/connections\)$/,
        'the add dialog is shown refusing a name already taken'
      );
      if (theme === 'dark') {
        await page.theme.setDarkTheme();
      }
      await page.activity.closeAll();
      const openbis = new OpenbisSection(page);
      await page.sidebar.setWidth(360, 'left');
      await openbis.open();
      await expect(openbis.treeItem('LAB_A')).toBeVisible();

      // Connections and the tree, opened down to datasets
      await openbis.expandPath('LAB_A', 'MICROSCOPY', 'IMAGING_2024, Imaging 2024');
      await openbis.treeItem('Raw measurement 3', { exact: true }).click();
      await page.mouse.move(900, 600);
      await page.screenshot({
        path: join(SCREENSHOTS_DIR, `openbis-tree-${theme}.png`),
        clip: SIDEBAR_CLIP
      });

      // Search
      await openbis.searchBox.fill('measurement');
      await expect(openbis.sidebar.panel.getByText(/datasets found/)).toBeVisible();
      await page.screenshot({
        path: join(SCREENSHOTS_DIR, `openbis-search-${theme}.png`),
        clip: SIDEBAR_CLIP
      });
      await openbis.searchBox.fill('');

      // The dataset view
      await openbis.treeItem('Raw measurement 1', { exact: true }).dblclick();
      const view = openbis.datasetView('Raw measurement 1');
      await expect(view.getByText('README.txt')).toBeVisible();
      await view.getByRole('checkbox', { name: 'Select original/data', exact: true }).check();
      await page.screenshot({ path: join(SCREENSHOTS_DIR, `openbis-dataset-${theme}.png`) });

      // The add-connection dialog with a field error from the server
      await openbis.addButton.click();
      await openbis.fillConnection({
        name: 'openbis',
        url: 'https://openbis.example.org',
        username: 'alice',
        password: 'secret'
      });
      await openbis.dialog.getByRole('button', { name: 'Add and log in' }).click();
      await expect(openbis.dialog.locator('.jp-ReanaOpenbis-fieldError')).toBeVisible();
      await openbis.dialog.screenshot({
        path: join(SCREENSHOTS_DIR, `openbis-add-connection-${theme}.png`)
      });
      await openbis.dialog.getByRole('button', { name: 'Cancel' }).click();
    });
  }
});
