import { expect, test } from '@jupyterlab/galata';
import { join } from 'path';

import { OPENBIS_CONNECTIONS, REANA_CONNECTIONS } from './fixtures';
import { ReanaOpenbisPanel } from './helpers/ReanaOpenbisPanel';

/** Where the README takes its pictures from. */
const SCREENSHOTS_DIR = join(__dirname, '..', '..', 'docs', 'screenshots');

/** The left side bar with the open panel; the rest of the window adds nothing. */
const SIDEBAR_CLIP = { x: 0, y: 0, width: 290, height: 440 };

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
    const sidebar = new ReanaOpenbisPanel(page);
    await sidebar.openFromTab();
    await expect(sidebar.serverVersion).toBeVisible();

    await page.screenshot({
      path: join(SCREENSHOTS_DIR, 'first-steps-light.png'),
      clip: SIDEBAR_CLIP
    });
  });

  test('connections in the light and dark themes', async ({ page }) => {
    const sidebar = new ReanaOpenbisPanel(page);
    await sidebar.fakeConnections(OPENBIS_CONNECTIONS, REANA_CONNECTIONS);
    await sidebar.openFromTab();
    await sidebar.refresh();
    await expect(sidebar.connectionList('REANA')).toBeVisible();
    await page.mouse.move(600, 600);
    await page.screenshot({
      path: join(SCREENSHOTS_DIR, 'connections-light.png'),
      clip: SIDEBAR_CLIP
    });

    await page.theme.setDarkTheme();
    await expect(sidebar.connectionList('REANA')).toBeVisible();
    await page.screenshot({
      path: join(SCREENSHOTS_DIR, 'connections-dark.png'),
      clip: SIDEBAR_CLIP
    });
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
});
