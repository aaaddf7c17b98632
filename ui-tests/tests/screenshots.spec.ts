import { expect, test } from './helpers/test';
import { join } from 'path';

import { OPENBIS_CONNECTIONS, REANA_CONNECTIONS } from './fixtures';
import { Reana } from './helpers/Reana';
import { ReanaOpenbisPanel } from './helpers/ReanaOpenbisPanel';

/** Where the README takes its pictures from. */
const SCREENSHOTS_DIR = join(__dirname, '..', '..', 'docs', 'screenshots');

/** The left side bar with the open panel (tab bar and a 300 px panel); the rest adds nothing. */
const SIDEBAR_CLIP = { x: 0, y: 0, width: 340, height: 440 };

/**
 * Refreshes the README screenshots; not a check, so it only runs on request:
 * `DOCS_SCREENSHOTS=1 jlpm playwright test screenshots`.
 */
test.describe('README screenshots', () => {
  test.skip(!process.env.DOCS_SCREENSHOTS, 'set DOCS_SCREENSHOTS=1 to refresh docs/screenshots');

  test.beforeEach(async ({ page }) => {
    await page.activity.closeAll();
  });

  test('first steps in the light theme', async ({ page }) => {
    const sidebar = new ReanaOpenbisPanel(page, 'openBIS');
    await sidebar.fakeConnections([], []);
    await sidebar.openFromTab();
    await sidebar.refresh();
    await expect(sidebar.panel.getByText('Bring your openBIS data to REANA')).toBeVisible();
    await page.mouse.move(600, 600);

    await page.screenshot({
      path: join(SCREENSHOTS_DIR, 'first-steps-light.png'),
      clip: SIDEBAR_CLIP
    });
  });

  test('the connections view in the light and dark themes', async ({ page }) => {
    // The faked 'institute' exists only in the browser: the panel beside shows the sandbox's tree.
    await page.route('**/reana-openbis-lab/openbis/connections/institute/**', route =>
      route.continue({ url: route.request().url().replace('/institute/', '/openbis/') })
    );
    await page.setViewportSize({ width: 1024, height: 700 });
    const sidebar = new ReanaOpenbisPanel(page);
    await sidebar.fakeConnections(OPENBIS_CONNECTIONS, REANA_CONNECTIONS);
    await sidebar.openFromTab();
    await sidebar.refresh();
    await sidebar.openConnections();
    await expect(sidebar.connectionList('REANA')).toBeVisible();
    await page.mouse.move(1000, 690);
    await page.screenshot({ path: join(SCREENSHOTS_DIR, 'connections-light.png') });

    await page.theme.setDarkTheme();
    await expect(sidebar.connectionList('REANA')).toBeVisible();
    await page.screenshot({ path: join(SCREENSHOTS_DIR, 'connections-dark.png') });
  });

  test('version mismatch in the dark theme', async ({ page }) => {
    const sidebar = new ReanaOpenbisPanel(page);
    await page.theme.setDarkTheme();
    await sidebar.openFromTab();
    await sidebar.fakeServerVersion('0.0.1');
    await sidebar.refresh();
    await expect(sidebar.alert).toBeVisible();
    await page.mouse.move(600, 600);

    await page.screenshot({
      path: join(SCREENSHOTS_DIR, 'version-mismatch-dark.png'),
      clip: SIDEBAR_CLIP
    });
  });

  for (const theme of ['light', 'dark'] as const) {
    test(`a failed run's logs and the REANA preset in the ${theme} theme`, async ({ page }) => {
      if (theme === 'dark') {
        await page.theme.setDarkTheme();
      }
      const reana = new Reana(page);
      await reana.open();
      await reana.search.fill('demo-failed');
      const view = await reana.openRun('demo-failed.1');
      await view.getByRole('tab', { name: 'Logs' }).click();
      await expect(view.getByRole('log')).toContainText('Error: exited with code 1');
      await page.screenshot({ path: join(SCREENSHOTS_DIR, `reana-failed-logs-${theme}.png`) });

      await reana.openConnections();
      await reana.connection('default').getByRole('button', { name: 'Edit default' }).click();
      await expect(reana.dialog.getByRole('textbox', { name: 'Name' })).not.toBeEditable();
      await reana.dialog.locator('.jp-Dialog-content').screenshot({
        path: join(SCREENSHOTS_DIR, `reana-preset-edit-${theme}.png`)
      });
      await reana.dialog.getByRole('button', { name: 'Cancel' }).click();
    });

    test(`parent suggestions in the upload dialog in the ${theme} theme`, async ({
      page,
      tmpPath
    }) => {
      if (theme === 'dark') {
        await page.theme.setDarkTheme();
      }
      await page.setViewportSize({ width: 1280, height: 1200 });
      await page.contents.uploadContent('mean,12.5\n', 'text', `${tmpPath}/results/summary.csv`);
      await page.sidebar.openTab('filebrowser');
      await page.filebrowser.openDirectory(tmpPath);
      await page.locator('.jp-DirListing-item', { hasText: 'results' }).click({ button: 'right' });
      await page.getByRole('menuitem', { name: 'Upload to openBIS…' }).click();
      const dialog = page.getByRole('dialog');
      await dialog.getByRole('searchbox', { name: 'Search parent datasets' }).fill('measurement');
      await expect(dialog.getByRole('checkbox').first()).toBeVisible();
      await page.mouse.move(0, 0);
      await dialog.locator('.jp-Dialog-content').screenshot({
        path: join(SCREENSHOTS_DIR, `upload-parents-${theme}.png`)
      });
    });
  }
});
