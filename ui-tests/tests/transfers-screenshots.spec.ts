import { expect, IJupyterLabPageFixture, test } from './helpers/test';
import { join } from 'path';

import { TransfersSection } from './helpers/transfers';

/** Where the README takes its pictures from. */
const SCREENSHOTS_DIR = join(__dirname, '..', '..', 'docs', 'screenshots');

const NOW = Date.now() / 1000;

/** Jobs in every state, as `GET /jobs` lists them (openapi.yaml `Job`). */
const JOBS = [
  {
    id: 'a1',
    kind: 'openbis-download',
    title: 'Download 20240102230000000-37',
    state: 'running',
    step: 'downloading',
    created: NOW - 5,
    bytesDone: 48_200_000,
    bytesTotal: 125_829_120,
    filesDone: 0,
    filesTotal: 1,
    speed: 12_400_000,
    details: {
      permId: '20240102230000000-37',
      datasetType: 'RAW_DATA',
      name: 'Raw measurement 3',
      destination: '20240102230000000-37'
    }
  },
  {
    id: 'a2',
    kind: 'reana-run',
    title: 'Run analysis.3 on reana-cern',
    state: 'running',
    step: 'running',
    created: NOW - 20
  },
  {
    id: 'a3',
    kind: 'openbis-upload',
    title: 'Upload to /LAB_B/SIMULATION/SETUP_1',
    state: 'failed',
    created: NOW - 60,
    bytesDone: 2_048,
    bytesTotal: 10_240,
    filesDone: 1,
    filesTotal: 4,
    error: 'openBIS did not answer within 60 s; nothing was registered.',
    details: { datasetType: 'PROCESSED_DATA', target: '/LAB_B/SIMULATION/SETUP_1' }
  },
  {
    id: 'a4',
    kind: 'openbis-upload',
    title: 'Upload to /LAB_A/MICROSCOPY/CULTURE_1',
    state: 'done',
    created: NOW - 120,
    bytesDone: 10_240,
    bytesTotal: 10_240,
    filesDone: 4,
    filesTotal: 4,
    result: { permId: '20261129100110205-42' },
    details: {
      connection: 'openbis',
      datasetType: 'RAW_DATA',
      target: '/LAB_A/MICROSCOPY/CULTURE_1'
    }
  },
  {
    id: 'a5',
    kind: 'openbis-download',
    title: 'Download 20240102010000000-15',
    state: 'done',
    created: NOW - 300,
    bytesDone: 2_837,
    bytesTotal: 2_837,
    filesDone: 6,
    filesTotal: 6,
    result: { destination: 'analysis/20240102010000000-15' },
    details: {
      permId: '20240102010000000-15',
      datasetType: 'PROCESSED_DATA',
      name: 'Processed 1',
      destination: 'analysis/20240102010000000-15'
    }
  }
];

/** The Transfers view with the status bar below it (the item that opened it, bottom left). */
async function shoot(page: IJupyterLabPageFixture, name: string): Promise<void> {
  await page.mouse.move(1200, 100);
  await page.screenshot({ path: join(SCREENSHOTS_DIR, name) });
}

/**
 * README pictures of the Transfers view and the upload dialog; they only run on
 * request: `DOCS_SCREENSHOTS=1 jlpm playwright test transfers-screenshots`.
 */
test.describe('README screenshots: transfers and upload', () => {
  test.skip(!process.env.DOCS_SCREENSHOTS, 'set DOCS_SCREENSHOTS=1 to refresh docs/screenshots');

  test('the Transfers view in the light and dark themes', async ({ page }) => {
    await page.setViewportSize({ width: 1024, height: 700 });
    await page.route('**/reana-openbis-lab/jobs*', route =>
      route.fulfill({ json: { jobs: JOBS } })
    );
    await page.reload();
    await page.activity.closeAll();
    // The file browser beside would only show the test's own folder.
    await page.sidebar.close('left');
    const transfers = new TransfersSection(page);
    await expect(transfers.statusItem).toHaveAccessibleName(/2 transfers running, \d+% done/);
    await transfers.open();
    await expect(transfers.row('20240102230000000-37')).toBeVisible();
    await shoot(page, 'transfers-light.png');

    await page.theme.setDarkTheme();
    await expect(transfers.row('20240102230000000-37')).toBeVisible();
    await shoot(page, 'transfers-dark.png');
  });

  test('the upload dialog with a field error in the light and dark themes', async ({
    page,
    tmpPath,
    consoleErrors
  }) => {
    consoleErrors.expect(
      /status of 400 .*\/openbis\/uploads\)$/,
      'the upload is answered with a field error, to show it'
    );
    test.setTimeout(120_000);
    await page.setViewportSize({ width: 1280, height: 1200 });
    await page.route('**/reana-openbis-lab/openbis/uploads*', route =>
      route.fulfill({
        status: 400,
        json: {
          message: "'Temperature (°C)' cannot be below -273.15",
          field: 'properties.TEMPERATURE',
          errors: [
            {
              field: 'properties.TEMPERATURE',
              message: "'Temperature (°C)' cannot be below -273.15"
            }
          ]
        }
      })
    );
    await page.contents.uploadContent('mean,12.5\n', 'text', `${tmpPath}/results/summary.csv`);
    await page.sidebar.openTab('filebrowser');
    await page.filebrowser.openDirectory(tmpPath);
    await page.locator('.jp-DirListing-item', { hasText: 'results' }).click({ button: 'right' });
    await page.getByRole('menuitem', { name: 'Upload to openBIS…' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByPlaceholder('Search objects by code or name').fill('CULTURE');
    await dialog.getByRole('button', { name: /CULTURE_1/ }).click();
    await dialog.getByLabel('Dataset type').selectOption('RAW_DATA');
    await dialog.getByLabel('Device').selectOption({ label: 'Microscope' });
    await dialog.getByLabel('Measured on').fill('2024-05-01T10:30:00');
    await dialog.getByLabel('Temperature (°C)').fill('-500');
    await dialog.getByRole('button', { name: 'Upload' }).click();
    await expect(dialog.getByText("'Temperature (°C)' cannot be below -273.15")).toBeVisible();
    await page.mouse.move(0, 0);
    await dialog.locator('.jp-Dialog-content').screenshot({
      path: join(SCREENSHOTS_DIR, 'upload-dialog-light.png')
    });

    await page.theme.setDarkTheme();
    await expect(dialog.getByText("'Temperature (°C)' cannot be below -273.15")).toBeVisible();
    await dialog.locator('.jp-Dialog-content').screenshot({
      path: join(SCREENSHOTS_DIR, 'upload-dialog-dark.png')
    });
  });
});
