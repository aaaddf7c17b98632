import { expect, IJupyterLabPageFixture, test } from './helpers/test';

import { OpenbisSection } from './helpers/OpenbisSection';
import { API, IJobJson, TransfersSection } from './helpers/transfers';

/** "Raw measurement 1" of the sandbox: 6 files, two PROCESSED_DATA children. */
const RAW_1 = '20240102010000000-15';

/** Start a download of RAW_1 with `start` and wait until the server lists its job. */
async function startDownload(
  page: IJupyterLabPageFixture,
  start: () => Promise<void>
): Promise<void> {
  const downloads = async () => {
    const answer = await page.request.get(`${API}/jobs?kind=openbis-download`);
    return ((await answer.json()).jobs as IJobJson[]).filter(job => job.title.includes(RAW_1))
      .length;
  };
  const before = await downloads();
  await start();
  await expect.poll(downloads).toBe(before + 1);
}

test.describe('openBIS dataset view', () => {
  test('shows a dataset, downloads it into its own folder, asks before replacing', async ({
    page,
    tmpPath,
    consoleErrors
  }) => {
    consoleErrors.expect(
      /status of 409 .*\/openbis\/downloads\)$/,
      'the second download is refused (target_exists) until the user chooses to replace'
    );
    // Given the file browser in the test's folder and the dataset's view open
    const openbis = new OpenbisSection(page);
    await page.filebrowser.openDirectory(tmpPath);
    await openbis.open();
    await openbis.openDataset('openbis', RAW_1);
    const view = openbis.datasetView('Raw measurement 1');

    // Then it shows the permId, labelled properties, children and files with sizes
    await expect(view.getByText(RAW_1, { exact: true }).first()).toBeVisible();
    await expect(view.getByRole('rowheader', { name: 'Temperature (°C)' })).toBeVisible();
    await expect(view.getByRole('list', { name: 'Children' }).getByRole('button')).toHaveCount(2);
    await expect(view.getByRole('list', { name: `Files of Raw measurement 1` })).toContainText(
      'measurement.csv'
    );
    await expect(view.getByRole('list', { name: `Files of Raw measurement 1` })).toContainText(
      '706 B'
    );

    // When the user downloads the whole dataset
    await startDownload(page, () =>
      view.getByRole('button', { name: 'Download', exact: true }).click()
    );

    // Then the Transfers view, from the status bar, lists it done
    const transfers = new TransfersSection(page);
    await transfers.open();
    await expect(transfers.row(RAW_1)).toContainText('Done');

    // And one folder named after the dataset appears in the folder the file browser
    // shows, not the dataset's files themselves
    await page.sidebar.openTab('filebrowser');
    await expect(page.locator('.jp-DirListing-item', { hasText: RAW_1 })).toBeVisible();
    await expect(page.locator('.jp-DirListing-item', { hasText: 'README.txt' })).toHaveCount(0);

    // And "Show in file browser" opens that folder, which holds the files
    await transfers
      .row(RAW_1)
      .getByRole('button', { name: 'Show in file browser' })
      .click();
    await expect(page.locator('.jp-FileBrowser .jp-BreadCrumbs')).toContainText(RAW_1);
    await expect(page.locator('.jp-DirListing-item', { hasText: 'README.txt' })).toBeVisible();
    await expect(page.locator('.jp-DirListing-item', { hasText: 'metadata' })).toBeVisible();

    // When the user downloads it again from the same folder, the UI asks in plain words
    await page.filebrowser.openDirectory(tmpPath);
    await page.getByRole('tab', { name: 'Raw measurement 1' }).click();
    await view.getByRole('button', { name: 'Download', exact: true }).click();
    const dialog = page.getByRole('dialog');
    await expect(dialog).toContainText('Replace files of Raw measurement 1 (RAW_DATA)?');
    await expect(dialog).toContainText(`The folder '${RAW_1}' already has`);
    await expect(dialog).toContainText('README.txt');
    await expect(dialog).not.toContainText('overwrite');
    await startDownload(page, () => dialog.getByRole('button', { name: 'Replace' }).click());
    await expect(dialog).toHaveCount(0);

    // and once more, keeping both: the new copy goes into a folder of its own beside it
    await view.getByRole('button', { name: 'Download', exact: true }).click();
    await startDownload(page, () => dialog.getByRole('button', { name: 'Keep both' }).click());
    // (Galata's openDirectory takes 'X' for a prefix of 'X (1)': the files are checked directly)
    await expect
      .poll(() => page.contents.fileExists(`${tmpPath}/${RAW_1} (1)/README.txt`))
      .toBe(true);
    expect(await page.contents.fileExists(`${tmpPath}/${RAW_1}/README.txt`)).toBe(true);
  });

  test('downloads only the picked files', async ({ page, tmpPath }) => {
    const openbis = new OpenbisSection(page);
    await page.filebrowser.openDirectory(tmpPath);
    await openbis.open();
    await openbis.openDataset('openbis', RAW_1);
    const view = openbis.datasetView('Raw measurement 1');

    // When the user picks one folder and downloads
    await view.getByRole('checkbox', { name: 'Select original/metadata', exact: true }).check();
    await startDownload(page, () =>
      view.getByRole('button', { name: 'Download 1 selected item' }).click()
    );

    // Then only that folder arrives, in the dataset's own folder
    await page.sidebar.openTab('filebrowser');
    await page.filebrowser.openDirectory(`${tmpPath}/${RAW_1}`);
    await expect(page.locator('.jp-DirListing-item', { hasText: 'metadata' })).toBeVisible();
    await expect(page.locator('.jp-DirListing-item', { hasText: 'README.txt' })).toHaveCount(0);
  });

  test('downloads into a folder picked with "Download to…"', async ({ page, tmpPath }) => {
    // Given a folder next to the one the file browser shows
    const openbis = new OpenbisSection(page);
    await page.contents.createDirectory(`${tmpPath}/target`);
    await page.filebrowser.openDirectory(tmpPath);
    await openbis.open();
    await openbis.openDataset('openbis', RAW_1);
    const view = openbis.datasetView('Raw measurement 1');
    await expect(view.getByText('README.txt')).toBeVisible();

    // When the user picks that folder in the folder dialog
    await view.getByRole('button', { name: 'Download to…' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.locator('.jp-DirListing-item', { hasText: 'target' }).dblclick();
    await expect(dialog.locator('.jp-BreadCrumbs')).toContainText('target');
    await startDownload(page, () => dialog.getByRole('button', { name: 'Select' }).click());

    // Then the files land in the dataset's own folder inside it, as with "Download"
    await page.sidebar.openTab('filebrowser');
    await page.filebrowser.openDirectory(`${tmpPath}/target`);
    await expect(page.locator('.jp-DirListing-item', { hasText: RAW_1 })).toBeVisible();
    await expect(page.locator('.jp-DirListing-item', { hasText: 'README.txt' })).toHaveCount(0);
    await page.filebrowser.openDirectory(`${tmpPath}/target/${RAW_1}`);
    await expect(page.locator('.jp-DirListing-item', { hasText: 'README.txt' })).toBeVisible();
  });

  test('opens a child in its own view, and one view per dataset', async ({ page }) => {
    const openbis = new OpenbisSection(page);
    await openbis.open();
    const open = () => openbis.openDataset('openbis', RAW_1);
    await open();
    const view = openbis.datasetView('Raw measurement 1');
    await expect(view).toBeVisible();

    // When the user clicks a child
    await view.getByRole('list', { name: 'Children' }).getByRole('button').first().click();

    // Then the child opens in its own view, listing the first dataset as its parent
    const child = openbis.datasetView('Processed 1');
    await expect(child.getByRole('list', { name: 'Parents' })).toContainText(RAW_1);

    // And opening the first dataset again reveals its view instead of a second one
    await open();
    await expect(view).toBeVisible();
    await expect(page.getByRole('tab', { name: 'Raw measurement 1' })).toHaveCount(1);
  });

  test('leaves out the properties a dataset does not fill', async ({ page }) => {
    // Given a RAW_DATA dataset with only a name and a device, of a type with more properties
    const openbis = new OpenbisSection(page);
    await openbis.open();
    await openbis.openDataset('openbis', '20240102230000000-37');
    const view = openbis.datasetView('Full sequencing run');
    const properties = view.locator('.jp-ReanaOpenbis-properties tr');

    // Then the table lists what it says, and no blank row for the rest
    await expect(properties.filter({ hasText: 'SEQUENCER' })).toHaveCount(1);
    for (const value of await properties.locator('td').allTextContents()) {
      expect(value.trim()).not.toBe('');
    }
  });

  test('comes back after a page reload', async ({ page }) => {
    const openbis = new OpenbisSection(page);
    await openbis.open();
    // JupyterLab saves the layout a moment after it changed.
    const saved = page.waitForRequest(
      request => request.url().includes('/api/workspaces') && request.method() === 'PUT'
    );
    await openbis.openDataset('openbis', RAW_1);
    await expect(openbis.datasetView('Raw measurement 1')).toBeVisible();
    await saved;

    // A plain browser reload: Galata's own waits for the launcher, which the layout replaced.
    await page.evaluate(() => window.location.reload());

    await expect(openbis.datasetView('Raw measurement 1')).toBeVisible({ timeout: 30_000 });
  });

  test('offers its commands in the command palette under openBIS', async ({ page }) => {
    await page.keyboard.press('Control+Shift+C');
    const palette = page.getByRole('region', { name: 'Command Palette Section' });
    await palette.getByRole('textbox', { name: 'SEARCH' }).fill('openBIS');

    for (const label of [
      'Add openBIS Connection…',
      'Log in to openBIS…',
      'Log out of openBIS',
      'Browse openBIS Connection…',
      'Search openBIS Datasets',
      'Open openBIS Dataset…'
    ]) {
      await expect(palette.getByRole('menuitem', { name: label })).toBeVisible();
    }
  });
});
