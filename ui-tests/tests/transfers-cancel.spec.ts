import { expect, test } from './helpers/test';

import {
  BIG_DATASET,
  clearFaults,
  folderNames,
  slowDownloads,
  startDownload,
  TransfersSection,
  waitForJob
} from './helpers/transfers';

test.describe('Transfers', () => {
  test.afterEach(async ({ page }) => {
    await clearFaults(page);
  });

  test('a slow download shows up live, is cancelled, and leaves nothing behind', async ({
    page,
    tmpPath
  }) => {
    // Given a data store that takes its time
    await slowDownloads(page, 30);
    const transfers = new TransfersSection(page);

    // When a download starts (as the dataset view starts it)
    const job = await startDownload(page, BIG_DATASET, tmpPath);

    // Then the status bar counts it, without taking any room in the panels
    await expect(transfers.statusItem).toHaveAccessibleName(/^1 transfer running/);

    // And the keyboard opens the list from there: it appears, running, with a Cancel button,
    // named by the dataset's type and name, its permId second
    await transfers.statusItem.focus();
    await page.keyboard.press('Enter');
    const row = transfers.row(BIG_DATASET);
    await expect(row).toBeVisible();
    await expect(row).toHaveAccessibleName(
      `Download RAW_DATA · Full sequencing run, ${BIG_DATASET}`
    );
    await expect(row).toContainText(/Downloading|Running|Queued/i);

    // When the user cancels it
    await transfers.cancelButton(BIG_DATASET).click();

    // Then it ends cancelled, the status bar counts none, and the folder is as empty as before
    await expect(row).toContainText('Cancelled');
    await expect(transfers.statusItem).toHaveAccessibleName(/^No transfer running/);
    expect((await waitForJob(page, job.id)).state).toBe('cancelled');
    expect(await folderNames(page, tmpPath)).toEqual([]);
    await expect(
      page.getByText(`Download RAW_DATA · Full sequencing run, ${BIG_DATASET} was cancelled.`)
    ).toBeVisible();
  });

  test('finished transfers can be cleared and stay cleared after a reload', async ({
    page,
    tmpPath
  }) => {
    // Given a download that finished
    const transfers = new TransfersSection(page);
    await transfers.open();
    const job = await startDownload(page, '20240102020000000-16', tmpPath);
    await expect(transfers.row('20240102020000000-16')).toContainText('Done');
    await expect(
      transfers.row('20240102020000000-16').getByRole('button', { name: 'Show in file browser' })
    ).toBeVisible();

    // When the user clears finished transfers (JupyterLab saves its state database)
    const saved = page.waitForRequest(
      request =>
        request.url().includes('/api/workspaces') &&
        request.method() === 'PUT' &&
        (request.postData() ?? '').includes(job.id)
    );
    await transfers.clearButton.click();
    await saved;

    // Then it is gone, also after a page reload
    await expect(transfers.rows('20240102020000000-16')).toHaveCount(0);
    // (a plain browser reload: Galata's own waits for the launcher, which the restored view replaced)
    await page.evaluate(() => window.location.reload());
    await transfers.panel.waitFor({ state: 'visible', timeout: 30_000 });
    await transfers.open();
    await expect(transfers.title).toBeVisible();
    await expect(transfers.rows('20240102020000000-16')).toHaveCount(0);
  });
});
