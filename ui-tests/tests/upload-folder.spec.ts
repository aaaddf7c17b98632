import { expect, test } from './helpers/test';

import {
  API,
  IJobJson,
  OPENBIS,
  SMALL_DATASET,
  startDownload,
  TransfersSection,
  waitForJob
} from './helpers/transfers';

/** The seed's object to attach results to. */
const TARGET = '/LAB_A/MICROSCOPY/CULTURE_1';

test.describe('Upload to openBIS', () => {
  test('a folder from the context menu, with a vocabulary term, a date and a parent from the manifest', async ({
    page,
    tmpPath
  }) => {
    test.setTimeout(120_000);
    // Given a dataset downloaded into the folder (into its own folder there, as the UI
    // does; the manifest stays in this folder), and a results folder next to it
    const download = await startDownload(page, SMALL_DATASET, tmpPath);
    expect((await waitForJob(page, download.id)).state).toBe('done');
    await page.contents.uploadContent('mean,12.5\n', 'text', `${tmpPath}/results/summary.csv`);
    await page.sidebar.openTab('filebrowser');
    await page.filebrowser.openDirectory(tmpPath);
    await page.filebrowser.refresh();

    // When the user picks "Upload to openBIS…" on the folder
    await page.locator('.jp-DirListing-item', { hasText: 'results' }).click({ button: 'right' });
    await page.getByRole('menuitem', { name: 'Upload to openBIS…' }).click();
    const dialog = page.getByRole('dialog');
    await expect(dialog.getByText('A new dataset with results')).toBeVisible();

    // and searches the target, without choosing one first: the form says what is missing
    await dialog.getByRole('button', { name: 'Upload' }).click();
    await expect(
      dialog.getByText('Choose the object or collection the dataset belongs to.')
    ).toBeVisible();
    await dialog.getByPlaceholder('Search objects by code or name').fill('CULTURE');
    await dialog.getByRole('button', { name: new RegExp(TARGET) }).click();
    await expect(dialog.getByText(`Chosen: ${TARGET}`)).toBeVisible();

    // then fills the RAW_DATA form: a vocabulary term by its label, a date and time, a parent
    await dialog.getByLabel('Dataset type').selectOption('RAW_DATA');
    await dialog.getByLabel('Device').selectOption({ label: 'Spectrometer' });
    await dialog.getByLabel('Measured on').fill('2024-05-01T10:30:15');
    await dialog.getByLabel('Temperature (°C)').fill('21.5');
    await dialog.getByRole('checkbox', { name: new RegExp(SMALL_DATASET) }).check();
    await dialog.getByRole('button', { name: 'Upload' }).click();

    // Then the dialog closes and the upload shows in Transfers (from the status bar) until it is done
    await expect(dialog).toHaveCount(0);
    const transfers = new TransfersSection(page);
    await transfers.open();
    await expect(transfers.row(`Upload RAW_DATA to ${TARGET}`)).toContainText('Done', { timeout: 30_000 });

    // And openBIS has the new dataset with its properties and its parent
    let newest: IJobJson | undefined;
    await expect
      .poll(async () => {
        const answer = await page.request.get(`${API}/jobs?kind=openbis-upload`);
        newest = ((await answer.json()).jobs as IJobJson[])[0];
        return newest?.state;
      })
      .toBe('done');
    const permId = String(newest?.result?.permId);
    let detail: {
      type?: string;
      object?: string;
      properties?: Record<string, string>;
      parents?: { permId: string }[];
    } = {};
    await expect
      .poll(async () => {
        const answer = await page.request.get(
          `${API}/openbis/connections/${OPENBIS}/datasets/${permId}`
        );
        detail = await answer.json();
        return detail;
      })
      .toHaveProperty('type', 'RAW_DATA');
    expect(detail.object).toBe(TARGET);
    expect(detail.properties?.DEVICE).toBe('SPECTROMETER');
    expect(detail.properties?.MEASURED_ON).toMatch(/^2024-05-01 10:30:15/);
    expect(detail.properties?.$NAME).toBe('results');
    expect(detail.parents?.map(p => p.permId)).toEqual([SMALL_DATASET]);
  });
});
