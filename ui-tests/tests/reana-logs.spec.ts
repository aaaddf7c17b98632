import { expect, test } from '@jupyterlab/galata';

import { Reana } from './helpers/Reana';

test.describe('REANA run logs', () => {
  test("a failed run opens on the failed job's log, wrapped", async ({ page }) => {
    const reana = new Reana(page);
    await reana.open();
    await reana.search.fill('demo-failed');
    const view = await reana.openRun('demo-failed.1');

    await view.getByRole('tab', { name: 'Logs' }).click();

    await expect(view.getByRole('button', { name: /histogram/ })).toHaveAttribute(
      'aria-pressed',
      'true'
    );
    await expect(view.getByRole('log')).toContainText('Error: exited with code 1');
    await expect(view.getByRole('checkbox', { name: 'Wrap lines' })).toBeChecked();
    // The workflow log is one click away
    await view.getByRole('button', { name: 'Workflow', exact: true }).click();
    await expect(view.getByRole('log', { name: 'Workflow log' })).toBeVisible();
  });
});
