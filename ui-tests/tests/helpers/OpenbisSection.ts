import { IJupyterLabPageFixture } from '@jupyterlab/galata';
import { Locator } from '@playwright/test';

import { ReanaOpenbisPanel } from './ReanaOpenbisPanel';

/**
 * The openBIS panel, its part of the connections view, its connection dialog and the
 * dataset views, found by roles and accessible names as a user (or a screen reader) finds them.
 */
export class OpenbisSection {
  constructor(private readonly page: IJupyterLabPageFixture) {
    this.sidebar = new ReanaOpenbisPanel(page, 'openBIS');
  }

  readonly sidebar: ReanaOpenbisPanel;

  /** One connection in the connections view, by its name. */
  connection(name: string): Locator {
    return this.sidebar.connectionList('openBIS').getByRole('listitem', { name, exact: true });
  }

  /** The button beside the panel's title that opens the "Add openBIS connection" dialog. */
  get addButton(): Locator {
    return this.sidebar.panel.getByRole('button', { name: 'Add an openBIS connection and log in' });
  }

  /** The open dialog. */
  get dialog(): Locator {
    return this.page.getByRole('dialog');
  }

  /** An input of the dialog, by its label. */
  field(label: string): Locator {
    return this.dialog.getByLabel(label, { exact: true });
  }

  get tree(): Locator {
    return this.sidebar.panel.getByRole('tree', { name: 'openBIS entities' });
  }

  /** A tree row, by its accessible name (code, or a dataset's name). */
  treeItem(name: string | RegExp, options: { exact?: boolean } = {}): Locator {
    return this.tree.getByRole('treeitem', { name, ...options });
  }

  get searchBox(): Locator {
    return this.sidebar.panel.getByRole('searchbox', { name: 'Search openBIS datasets' });
  }

  get searchResults(): Locator {
    return this.sidebar.panel.getByRole('list', { name: 'Search results' });
  }

  get breadcrumb(): Locator {
    return this.sidebar.panel.getByRole('navigation', { name: 'Selected path' });
  }

  /** The main-area view of a dataset, by the tab label (the dataset's name). */
  datasetView(name: string): Locator {
    return this.page.locator('.jp-ReanaOpenbis-datasetPanel').filter({
      has: this.page.getByRole('heading', { level: 1, name, exact: true })
    });
  }

  /** Open a dataset's view by its command, as the tree, the search and lineage links do. */
  async openDataset(connection: string, permId: string): Promise<void> {
    await this.page.evaluate(
      async ([connection, permId]) => {
        await window.jupyterapp.commands.execute('reana-openbis-lab:openbis-open-dataset', {
          connection,
          permId
        });
      },
      [connection, permId]
    );
  }

  /** Open the panel and wait for its connection line. */
  async open(): Promise<void> {
    await this.sidebar.openFromTab();
    await this.sidebar.switcher.waitFor();
  }

  /** Open the connections view from the panel and wait for the openBIS connections. */
  async openConnections(): Promise<void> {
    await this.sidebar.openConnections();
    await this.sidebar.connectionList('openBIS').waitFor();
  }

  /** Fill the "Add openBIS connection" dialog for a user name and password. */
  async fillConnection(values: {
    name: string;
    url: string;
    username: string;
    password: string;
  }): Promise<void> {
    await this.field('Name').fill(values.name);
    await this.field('openBIS URL').fill(values.url);
    await this.field('User name').fill(values.username);
    await this.field('Password').fill(values.password);
  }

  /** Open tree rows one below the other: click each, then the right arrow key, as a user does. */
  async expandPath(...names: string[]): Promise<void> {
    for (const name of names) {
      const item = this.treeItem(name).first();
      await item.click();
      await this.page.keyboard.press('ArrowRight');
      await item.and(this.page.locator('[aria-expanded="true"]')).waitFor();
    }
  }
}
