import { IJupyterLabPageFixture } from '@jupyterlab/galata';
import { readFileSync } from 'fs';
import { join } from 'path';
import { Locator } from '@playwright/test';

import { ReanaOpenbisPanel } from './ReanaOpenbisPanel';

/** The sandbox's state file that `make demo` (the Galata web server) writes. */
const SANDBOX_STATE = join(__dirname, '..', '..', '..', '.demo', 'galata', 'sandbox.json');

/**
 * The REANA server the preset connects to and the access token it accepts: the sandbox's, or
 * the one GALATA_REANA_URL and GALATA_REANA_TOKEN name (playwright.config.js); `email` is the
 * account's (GALATA_REANA_EMAIL there).
 */
export function sandboxReana(): { url: string; token: string; email: string } {
  if (process.env.GALATA_REANA_URL) {
    return {
      url: process.env.GALATA_REANA_URL,
      token: process.env.GALATA_REANA_TOKEN ?? '',
      email: process.env.GALATA_REANA_EMAIL ?? 'user@example.org'
    };
  }
  const state = JSON.parse(readFileSync(SANDBOX_STATE, 'utf-8'));
  return { url: state.reana.url, token: state.reana.token, email: 'alice@example.org' };
}

/** The REANA half of the UI, found by roles and names as a user sees it. */
export class Reana {
  constructor(private readonly page: IJupyterLabPageFixture) {
    this.sidebar = new ReanaOpenbisPanel(page, 'REANA');
  }

  readonly sidebar: ReanaOpenbisPanel;

  /** The REANA panel. */
  get section(): Locator {
    return this.sidebar.panel;
  }

  /** The REANA connections in the connections view. */
  get connections(): Locator {
    return this.sidebar.connectionList('REANA');
  }

  connection(name: string): Locator {
    return this.connections.getByRole('listitem', { name, exact: true });
  }

  get runs(): Locator {
    return this.section.getByRole('list', { name: 'Workflow runs' });
  }

  run(name: string): Locator {
    return this.runs.getByRole('listitem').filter({
      has: this.page.getByRole('button', { name, exact: true })
    });
  }

  get search(): Locator {
    return this.section.getByRole('searchbox', { name: 'Search runs by name' });
  }

  get pager(): Locator {
    return this.section.locator('.jp-ReanaOpenbis-pager');
  }

  /** The open dialog. */
  get dialog(): Locator {
    return this.page.locator('.jp-Dialog');
  }

  /** Open the REANA panel. */
  async open(): Promise<void> {
    await this.sidebar.openFromTab();
  }

  /** Open the connections view from the panel and wait for the REANA connections. */
  async openConnections(): Promise<void> {
    await this.sidebar.openConnections();
    await this.connections.waitFor();
  }

  /** Tick or untick statuses in the status filter. */
  async filterStatuses(statuses: string[]): Promise<void> {
    await this.section.getByLabel('Filter by status').click();
    for (const status of statuses) {
      await this.section
        .locator('.jp-ReanaOpenbis-statusFilter label')
        .filter({ hasText: new RegExp(`^${status}$`) })
        .getByRole('checkbox')
        .click();
    }
    await this.section.getByLabel('Filter by status').click();
  }

  /** Open a run's view from the list (searching for its name) and wait for its main-area tab. */
  async openRun(name: string): Promise<Locator> {
    // Other tests add runs: look it up by name, as a user would, rather than on page 1.
    const base = name.replace(/\.\d+(\.\d+)?$/, '');
    if ((await this.search.inputValue()) !== base) {
      await this.search.fill(base);
    }
    await this.runs.getByRole('button', { name, exact: true }).click();
    const view = this.page.locator('.jp-ReanaOpenbis-workflowView').filter({ hasText: name });
    // The details are in once the header shows the status.
    await view.first().locator('.jp-ReanaOpenbis-viewHeader .jp-ReanaOpenbis-runStatus').waitFor();
    return view.first();
  }
}
