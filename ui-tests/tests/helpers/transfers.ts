import { IJupyterLabPageFixture } from '@jupyterlab/galata';
import { expect, Locator } from '@playwright/test';
import { readFileSync } from 'fs';
import { join } from 'path';

/** The REST root of the server extension, relative to the Galata base URL. */
export const API = '/reana-openbis-lab';

/** The preset name of the sandbox openBIS in the `make demo` setup. */
export const OPENBIS = 'openbis';

/** "Raw measurement 1" (RAW_DATA, a few KiB) and "Full sequencing run" (120 MiB) of the seed. */
export const SMALL_DATASET = '20240102010000000-15';
export const BIG_DATASET = '20240102230000000-37';

/** A job as `GET /jobs` lists it (openapi.yaml `Job`). */
export interface IJobJson {
  id: string;
  kind: string;
  title: string;
  state: string;
  result?: Record<string, unknown> | null;
}

/** The sandbox servers the Galata Jupyter server talks to (written by `sandbox.demo`). */
export function sandboxState(): { openbis: { url: string }; sftp: { port: number } } {
  const file = join(__dirname, '..', '..', '..', '.demo', 'galata', 'sandbox.json');
  return JSON.parse(readFileSync(file, 'utf-8'));
}

/** Make every file download of the sandbox openBIS wait `seconds` before its first byte. */
export async function slowDownloads(page: IJupyterLabPageFixture, seconds: number): Promise<void> {
  const response = await page.request.post(`${sandboxState().openbis.url}/__sandbox__/faults`, {
    data: { rules: [{ path: '/datastore_server/\\d+-\\d+/', latency: seconds }] }
  });
  expect(response.ok()).toBe(true);
}

/** Remove every fault rule of the sandbox openBIS. */
export async function clearFaults(page: IJupyterLabPageFixture): Promise<void> {
  await page.request.delete(`${sandboxState().openbis.url}/__sandbox__/faults`);
}

/**
 * Start an openBIS download through the REST API, as the dataset view does: into a folder
 * named after the dataset's permId inside `destination`.
 */
export async function startDownload(
  page: IJupyterLabPageFixture,
  permId: string,
  destination: string
): Promise<IJobJson> {
  const response = await page.request.post(`${API}/openbis/downloads`, {
    data: { connection: OPENBIS, permId, destination, folder: permId }
  });
  expect(response.status()).toBe(202);
  return response.json();
}

/** Wait for a job to end and return it. */
export async function waitForJob(page: IJupyterLabPageFixture, id: string): Promise<IJobJson> {
  let job: IJobJson | undefined;
  await expect
    .poll(
      async () => {
        job = await (await page.request.get(`${API}/jobs/${id}`)).json();
        return job?.state;
      },
      { timeout: 30_000 }
    )
    .toMatch(/^(done|failed|cancelled)$/);
  return job as IJobJson;
}

/** The names in a folder of the server root, hidden ones included. */
export async function folderNames(page: IJupyterLabPageFixture, path: string): Promise<string[]> {
  const response = await page.request.get(`/api/contents/${path}?content=1`);
  const model = await response.json();
  return (model.content as { name: string }[]).map(item => item.name);
}

/** The transfers: their status bar item and their view in the main area. */
export class TransfersSection {
  constructor(private readonly page: IJupyterLabPageFixture) {}

  /** The status bar item: how many transfers run, how far; a click opens the view. */
  get statusItem(): Locator {
    return this.page.locator('#jp-main-statusbar').getByRole('button', { name: /transfer/ });
  }

  /** The Transfers view. */
  get panel(): Locator {
    return this.page.locator('#reana-openbis-lab-transfers');
  }

  /** The view's tab in the main area. */
  get title(): Locator {
    return this.page.getByRole('tab', { name: 'Transfers', exact: true });
  }

  get list(): Locator {
    return this.panel.getByRole('list', { name: 'Transfers', exact: true });
  }

  get clearButton(): Locator {
    return this.panel.getByRole('button', { name: 'Clear Finished Transfers' });
  }

  /**
   * The newest job's row whose accessible name holds `text` (rows are newest first). Rows are
   * named as people know the data, the identifier second ("Download RAW_DATA · Raw
   * measurement 1, 20240102010000000-15"), so a permId finds its download.
   */
  row(text: string): Locator {
    return this.rows(text).first();
  }

  /** Every row whose accessible name holds `text`. */
  rows(text: string): Locator {
    return this.list.getByRole('listitem', { name: text });
  }

  cancelButton(text: string): Locator {
    return this.row(text).getByRole('button', { name: /^Cancel / });
  }

  /** Open the view as a user does: from the status bar. */
  async open(): Promise<void> {
    await this.statusItem.click();
    await this.panel.waitFor({ state: 'visible' });
  }
}
