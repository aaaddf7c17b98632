import { expect, test } from '@jupyterlab/galata';
import { join } from 'path';

import { ReanaOpenbisPanel } from './helpers/ReanaOpenbisPanel';

/** Where the README takes its pictures from. */
const SCREENSHOTS_DIR = join(__dirname, '..', '..', 'docs', 'screenshots');

/**
 * Refreshes the README screenshots; not a check, so it only runs on request:
 * `DOCS_SCREENSHOTS=1 jlpm playwright test screenshots`.
 */
test.describe('README screenshots', () => {
  test.skip(!process.env.DOCS_SCREENSHOTS, 'set DOCS_SCREENSHOTS=1 to refresh docs/screenshots');

  test('panel in the light theme', async ({ page }) => {
    const sidebar = new ReanaOpenbisPanel(page);
    await sidebar.openFromTab();
    await expect(sidebar.serverVersion).toBeVisible();

    await page.screenshot({ path: join(SCREENSHOTS_DIR, 'sidebar-light.png') });
  });

  test('panel in the dark theme', async ({ page }) => {
    const sidebar = new ReanaOpenbisPanel(page);
    await page.theme.setDarkTheme();
    await sidebar.openFromTab();
    await expect(sidebar.serverVersion).toBeVisible();

    await page.screenshot({ path: join(SCREENSHOTS_DIR, 'sidebar-dark.png') });
  });

  test('version mismatch in the dark theme', async ({ page }) => {
    const sidebar = new ReanaOpenbisPanel(page);
    await page.theme.setDarkTheme();
    await sidebar.openFromTab();
    await sidebar.fakeServerVersion('0.0.1');
    await sidebar.refresh();
    await expect(sidebar.alert).toBeVisible();

    await page.screenshot({ path: join(SCREENSHOTS_DIR, 'version-mismatch-dark.png') });
  });

  test('missing server extension in the light theme', async ({ page }) => {
    const sidebar = new ReanaOpenbisPanel(page);
    await sidebar.openFromTab();
    await sidebar.fakeMissingServerExtension();
    await sidebar.refresh();
    await expect(sidebar.alert).toBeVisible();

    await page.screenshot({ path: join(SCREENSHOTS_DIR, 'server-extension-missing-light.png') });
  });
});
