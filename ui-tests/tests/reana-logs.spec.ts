import { expect, test } from './helpers/test';

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

  test("long lines wrap at the log's width, or scroll sideways when wrapping is off", async ({
    page
  }) => {
    // A narrow window (the 300 px side panel beside the view), so the job's command line is
    // longer than the log is wide
    await page.setViewportSize({ width: 900, height: 720 });
    const reana = new Reana(page);
    await reana.open();
    await reana.search.fill('demo-failed');
    const view = await reana.openRun('demo-failed.1');
    await view.getByRole('tab', { name: 'Logs' }).click();
    const log = view.getByRole('log');
    await expect(log).toContainText('Error: exited with code 1');
    const overflow = () => log.evaluate(node => node.scrollWidth - node.clientWidth);

    expect(await overflow()).toBeLessThanOrEqual(0);
    const firstLine = log.locator('.jp-ReanaOpenbis-logLine').first();
    expect((await firstLine.boundingBox())?.height).toBeGreaterThan(18);

    await view.getByRole('checkbox', { name: 'Wrap lines' }).uncheck();
    await expect.poll(overflow).toBeGreaterThan(0);
    await log.evaluate(node => (node.scrollLeft = node.scrollWidth));
    expect(await log.evaluate(node => node.scrollLeft)).toBeGreaterThan(0);
  });
});
