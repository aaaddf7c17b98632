import { IJupyterLabPageFixture } from '@jupyterlab/galata';
import { Locator, Route } from '@playwright/test';

import { expect } from './test';

/** The DOM ids the extension gives its side panels and its connections view. */
const PANEL_IDS = { openBIS: 'reana-openbis-lab-openbis', REANA: 'reana-openbis-lab-reana' };
const CONNECTIONS_VIEW_ID = 'reana-openbis-lab-connections';

/** The routes the panels read, relative to any base URL. */
const INFO_ROUTE = '**/reana-openbis-lab/info*';
const OPENBIS_CONNECTIONS_ROUTE = '**/reana-openbis-lab/openbis/connections*';
const REANA_CONNECTIONS_ROUTE = '**/reana-openbis-lab/reana/connections*';

export type Service = 'openBIS' | 'REANA';

/**
 * One of the extension's side panels (openBIS or REANA) as a user sees it, and the
 * connections view it links to: found by roles and names, so the tests break when the
 * accessible UI changes, not when a class name does.
 */
export class ReanaOpenbisPanel {
  constructor(
    private readonly page: IJupyterLabPageFixture,
    readonly service: Service = 'openBIS'
  ) {}

  /** The panel's tab in the side bar. */
  get tab(): Locator {
    return this.page.getByRole('tab', { name: this.service, exact: true });
  }

  /** The panel itself. */
  get panel(): Locator {
    return this.page.locator(`#${PANEL_IDS[this.service]}`);
  }

  get title(): Locator {
    return this.panel.getByRole('heading', { level: 2 });
  }

  /** The panel's refresh button (the server extension, the connections, the data). */
  get refreshButton(): Locator {
    return this.panel.locator('.jp-ReanaOpenbis-panelButtons').getByRole('button').last();
  }

  /** The problem notice; absent when the handshake succeeded. */
  get alert(): Locator {
    return this.panel.getByRole('alert');
  }

  /** The line with the current connection. */
  get switcher(): Locator {
    return this.panel.getByRole('group', { name: `${this.service} connection`, exact: true });
  }

  /** The button on that line that opens the list of connections. */
  get switcherButton(): Locator {
    return this.switcher.locator('.jp-ReanaOpenbis-switcherButton');
  }

  /** The gear on that line that opens the connections view. */
  get manageButton(): Locator {
    return this.switcher.getByRole('button', { name: `Manage ${this.service} connections` });
  }

  /** The open menu of connections (under the switcher). */
  get connectionMenu(): Locator {
    return this.page.locator('.jp-ReanaOpenbis-connectionMenu');
  }

  /** Switch to another connection in one go: open the list, click the name. */
  async switchTo(name: string): Promise<void> {
    const item = this.connectionMenu
      .getByRole('menuitem')
      .filter({ hasText: new RegExp(`^${name}( ·|$)`) });
    // The menu lists the connections known when it opened: a connection added a moment ago
    // through the API may come with the next list, so open it again until it is there.
    await expect(async () => {
      if (!(await this.connectionMenu.isVisible())) {
        await this.switcherButton.click();
      }
      if (!(await item.isVisible())) {
        await this.page.keyboard.press('Escape');
        throw new Error(`${name} is not in the menu yet`);
      }
    }).toPass({ timeout: 15000 });
    await item.click();
  }

  /** The connections view in the main area. */
  get connectionsView(): Locator {
    return this.page.locator(`#${CONNECTIONS_VIEW_ID}`);
  }

  /** The server extension's version, in the connections view. */
  get serverVersion(): Locator {
    return this.connectionsView.getByText(/^Server extension \S+$/);
  }

  /** The connection list of one service, in the connections view. */
  connectionList(service: Service): Locator {
    return this.connectionsView.getByRole('list', { name: service, exact: true });
  }

  /** Open the panel the way a user does: click its tab (unless it is open already). */
  async openFromTab(): Promise<void> {
    await this.page.waitForSelector(`#${PANEL_IDS[this.service]}`, { state: 'attached' });
    if (!(await this.panel.isVisible())) {
      await this.tab.click();
    }
    await this.panel.waitFor({ state: 'visible' });
  }

  /** Open the panel by its command in the command palette. */
  async openFromPalette(): Promise<void> {
    await this.runFromPalette(`Open ${this.service} Panel`);
    await this.panel.waitFor({ state: 'visible' });
  }

  /** Run a command by its label from the command palette, as a user does. */
  async runFromPalette(label: string): Promise<void> {
    await this.page.keyboard.press('Control+Shift+C');
    const palette = this.page.getByRole('region', { name: 'Command Palette Section' });
    await palette.getByRole('textbox', { name: 'SEARCH' }).fill(label);
    await palette.getByRole('menuitem', { name: label, exact: true }).click();
  }

  /** Open the connections view from the panel's connection line (the panel opens first). */
  async openConnections(): Promise<void> {
    await this.openFromTab();
    await this.manageButton.click();
    await this.connectionsView.waitFor({ state: 'visible' });
  }

  /** Ask the server again, as the panel's refresh button does. */
  async refresh(): Promise<void> {
    await this.refreshButton.click();
  }

  /** Make the handshake see a server extension of another release. */
  async fakeServerVersion(version: string): Promise<void> {
    await this.page.route(INFO_ROUTE, (route: Route) =>
      route.fulfill({
        json: { name: 'reana_openbis_lab', version, capabilities: {} }
      })
    );
  }

  /** Make the handshake see a Jupyter server without the extension (its HTML 404 page). */
  async fakeMissingServerExtension(): Promise<void> {
    await this.page.route(INFO_ROUTE, (route: Route) =>
      route.fulfill({ status: 404, contentType: 'text/html', body: '<html>404: Not Found</html>' })
    );
  }

  /** Make the server list these connections (shapes of the OpenAPI contract). */
  async fakeConnections(openbis: object[], reana: object[]): Promise<void> {
    await this.page.route(OPENBIS_CONNECTIONS_ROUTE, (route: Route) =>
      route.fulfill({ json: { connections: openbis } })
    );
    await this.page.route(REANA_CONNECTIONS_ROUTE, (route: Route) =>
      route.fulfill({ json: { connections: reana } })
    );
  }

  /** Make one connection list answer with an error status and the server's JSON error. */
  async fakeConnectionsError(
    service: 'openbis' | 'reana',
    status: number,
    message: string
  ): Promise<void> {
    const route = service === 'openbis' ? OPENBIS_CONNECTIONS_ROUTE : REANA_CONNECTIONS_ROUTE;
    await this.page.route(route, (r: Route) => r.fulfill({ status, json: { message } }));
  }
}
