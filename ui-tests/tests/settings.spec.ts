import { expect, galata, test } from './helpers/test';

import { ReanaOpenbisPanel } from './helpers/ReanaOpenbisPanel';

test.describe('openBIS & REANA panel settings', () => {
  test.use({
    mockSettings: {
      ...galata.DEFAULT_SETTINGS,
      'reana-openbis-lab:sidebar': { openAtStart: true }
    }
  });

  test('opens the panel at start when asked to', async ({ page }) => {
    // Given the setting "Open the panel at start" (set by the fixture before JupyterLab loads)
    const sidebar = new ReanaOpenbisPanel(page);

    // When JupyterLab has started, Then the panel is shown without a click
    await expect(sidebar.panel).toBeVisible();
    await expect(sidebar.title).toHaveText('openBIS & REANA');
  });
});
