import { IJupyterLabPageFixture } from '@jupyterlab/galata';
import { Locator, Route } from '@playwright/test';

/** The DOM id the extension gives its side panel. */
const SIDEBAR_ID = 'reana-openbis-lab-sidebar';

/** The routes the panel reads, relative to any base URL. */
const INFO_ROUTE = '**/reana-openbis-lab/info*';
const OPENBIS_CONNECTIONS_ROUTE = '**/reana-openbis-lab/openbis/connections*';
const REANA_CONNECTIONS_ROUTE = '**/reana-openbis-lab/reana/connections*';

/**
 * The openBIS & REANA side panel as a user sees it: found by roles and names, so the
 * tests break when the accessible UI changes, not when a class name does.
 */
export class ReanaOpenbisPanel {
  constructor(private readonly page: IJupyterLabPageFixture) {}

  /** The panel's tab in the left side bar. */
  get tab(): Locator {
    return this.page.getByRole('tab', { name: 'openBIS & REANA' });
  }

  /** The panel itself. */
  get panel(): Locator {
    return this.page.locator(`#${SIDEBAR_ID}`);
  }

  get title(): Locator {
    return this.panel.getByRole('heading', { level: 2 });
  }

  get refreshButton(): Locator {
    return this.panel.getByRole('button', {
      name: 'Check the server extension and the connections again'
    });
  }

  /** The problem notice; absent when the handshake succeeded. */
  get alert(): Locator {
    return this.panel.getByRole('alert');
  }

  get serverVersion(): Locator {
    return this.panel.getByText(/^Server extension \S+$/);
  }

  /** The connection list of one service, named by its heading. */
  connectionList(service: 'openBIS' | 'REANA'): Locator {
    return this.panel.getByRole('list', { name: service, exact: true });
  }

  /** The collapsible title of one section of the panel. */
  sectionTitle(name: 'openBIS' | 'REANA' | 'Transfers'): Locator {
    return this.panel.getByRole('heading', { name: `${name} Section`, exact: true });
  }

  /** Open the panel the way a user does: click its tab. */
  async openFromTab(): Promise<void> {
    await this.tab.click();
    await this.panel.waitFor({ state: 'visible' });
  }

  /** Open the panel by its command in the command palette. */
  async openFromPalette(): Promise<void> {
    await this.page.keyboard.press('Control+Shift+C');
    const palette = this.page.getByRole('region', { name: 'Command Palette Section' });
    await palette.getByRole('textbox', { name: 'SEARCH' }).fill('openBIS & REANA');
    await palette.getByRole('menuitem', { name: 'Open openBIS & REANA Panel' }).click();
    await this.panel.waitFor({ state: 'visible' });
  }

  /** Ask the server again, as the toolbar button does. */
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
