import { expect, test } from './helpers/test';

import { Reana } from './helpers/Reana';

test.describe('REANA workflow view', () => {
  test('shows a finished run, its logs and workspace, and downloads files', async ({
    page,
    tmpPath
  }) => {
    // Given the sandbox's finished demo run
    const reana = new Reana(page);
    await reana.open();

    // When the user opens it from the list
    const view = await reana.openRun('demo-finished.1');

    // Then its status, engine and parameters show, and the specification folds out
    await expect(view.locator('.jp-ReanaOpenbis-viewHeader')).toContainText('finished');
    await expect(view.getByRole('table', { name: 'Parameters' })).toContainText('bins');
    await view.getByText('Specification', { exact: true }).click();
    await expect(view.locator('.jp-ReanaOpenbis-specification pre')).toContainText('histogram');

    // The job logs name the job, its command and its output
    await view.getByRole('tab', { name: 'Logs' }).click();
    await view.getByRole('button', { name: /histogram/ }).click();
    await expect(view.locator('.jp-ReanaOpenbis-facts')).toContainText('--bins ${bins}');
    await expect(view.getByRole('log', { name: 'Log of job histogram' })).toContainText('done');

    // One workspace file downloads into the file browser's folder, keeping its workspace
    // path as reana-client does
    await view.getByRole('tab', { name: 'Workspace' }).click();
    await expect(view.getByRole('table', { name: 'Workspace files' })).toContainText(
      'results/summary.txt'
    );
    await view.getByRole('checkbox', { name: 'Select results/summary.txt' }).check();
    await view.getByRole('button', { name: 'Download selected (1)' }).click();
    await expect
      .poll(() => page.contents.fileExists(`${tmpPath}/results/summary.txt`), { timeout: 15000 })
      .toBe(true);

    // And then everything, into a folder of its own
    await page.contents.createDirectory(`${tmpPath}/all`);
    await page.sidebar.openTab('filebrowser');
    await page.filebrowser.openDirectory(`${tmpPath}/all`);
    await view.getByRole('button', { name: 'Download all' }).click();
    await expect
      .poll(() => page.contents.fileExists(`${tmpPath}/all/results/histogram.csv`), {
        timeout: 15000
      })
      .toBe(true);
  });

  test('searches the workspace', async ({ page }) => {
    const reana = new Reana(page);
    await reana.open();
    const view = await reana.openRun('demo-finished.1');
    await view.getByRole('tab', { name: 'Workspace' }).click();
    await view.getByRole('searchbox', { name: 'Search files' }).fill('histogram');
    const files = view.getByRole('table', { name: 'Workspace files' });
    await expect(files.getByRole('row')).toHaveCount(2);
    await expect(files).toContainText('results/histogram.csv');
  });
});
