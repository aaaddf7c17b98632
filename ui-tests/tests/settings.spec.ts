import { expect, galata, test } from './helpers/test';

import { ReanaOpenbisPanel } from './helpers/ReanaOpenbisPanel';

test.describe('openBIS & REANA settings', () => {
  test.use({
    mockSettings: {
      ...galata.DEFAULT_SETTINGS,
      'reana-openbis-lab:connections': { openAtStart: true }
    }
  });

  test('opens the openBIS panel at start when asked to', async ({ page }) => {
    // Given the setting "Open a panel at start" (set by the fixture before JupyterLab loads)
    const sidebar = new ReanaOpenbisPanel(page, 'openBIS');

    // When JupyterLab has started, Then the openBIS panel is shown without a click
    await expect(sidebar.panel).toBeVisible();
    await expect(sidebar.title).toHaveText('openBIS');
  });
});
