import { expect, test } from './helpers/test';
import { readFileSync } from 'fs';
import { join } from 'path';

import { OPENBIS_CONNECTIONS, REANA_CONNECTIONS } from './fixtures';
import { ReanaOpenbisPanel } from './helpers/ReanaOpenbisPanel';

/** The release under test: the Python package takes its version from this file too. */
const VERSION: string = JSON.parse(
  readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf-8')
).version;

/** What Chromium logs for the handshake of a server without the extension. */
const MISSING_EXTENSION = /status of 404 \(Not Found\) \(\S+\/reana-openbis-lab\/info\)$/;

/** What Chromium logs when the faked connections' tree and runs are asked of the real server. */
const FAKED_CONNECTIONS =
  /status of 404 .*\/(openbis\/connections\/institute\/spaces|reana\/connections\/reana-cern\/workflows)\?/;

test.describe('openBIS and REANA side panels', () => {
  test('each opens from its own tab on the current preset; the connections view names the version', async ({
    page
  }) => {
    // Given JupyterLab started like `make demo`: the sandbox openBIS and REANA as presets
    const openbis = new ReanaOpenbisPanel(page, 'openBIS');
    const reana = new ReanaOpenbisPanel(page, 'REANA');

    // When the user clicks the openBIS tab
    await openbis.openFromTab();

    // Then the panel has its title and shows the preset as its current connection
    await expect(openbis.title).toHaveText('openBIS');
    await expect(openbis.switcherButton).toHaveAccessibleName(
      'openBIS connection openbis: Connected as alice. Switch connection'
    );
    await expect(openbis.switcher).toContainText('alice');
    await expect(openbis.alert).toHaveCount(0);

    // And the REANA tab shows the REANA preset, with the account REANA named
    await reana.openFromTab();
    await expect(reana.title).toHaveText('REANA');
    await expect(reana.switcher).toContainText('default');
    await expect(reana.switcher).toContainText('alice@example.org');

    // And the connections view, from the line's gear, lists both presets and the version
    await reana.openConnections();
    const openbisRows = reana.connectionList('openBIS').getByRole('listitem');
    await expect(openbisRows.filter({ hasText: 'openbis' })).toContainText('preset');
    const reanaRows = reana.connectionList('REANA').getByRole('listitem');
    await expect(reanaRows.filter({ hasText: 'default' })).toContainText('preset');
    await expect(reana.serverVersion).toHaveText(`Server extension ${VERSION}`);
  });

  test('says what to do first when there is no connection at all', async ({ page }) => {
    // Given a server without any connection
    const openbis = new ReanaOpenbisPanel(page, 'openBIS');
    await openbis.fakeConnections([], []);

    // When the user opens the openBIS panel and refreshes it
    await openbis.openFromTab();
    await openbis.refresh();

    // Then the panel explains what it is for and offers the first step
    await expect(
      openbis.panel.getByRole('heading', { name: 'Bring your openBIS data to REANA' })
    ).toBeVisible();
    await openbis.panel.getByRole('button', { name: 'Add openBIS connection…' }).click();
    await expect(page.getByRole('dialog').getByText('Add openBIS connection')).toBeVisible();
    await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();
  });

  test('a panel whose service has no connection offers it, not an empty half', async ({
    page,
    consoleErrors
  }) => {
    // Given openBIS set up and no REANA connection
    consoleErrors.expect(
      FAKED_CONNECTIONS,
      'the faked connections do not exist on the server, so their tree is not found'
    );
    const reana = new ReanaOpenbisPanel(page, 'REANA');
    await reana.fakeConnections(OPENBIS_CONNECTIONS, []);

    // When the user opens the REANA panel
    await reana.openFromTab();
    await reana.refresh();

    // Then it says what REANA is for here and how to add it
    await expect(
      reana.panel.getByRole('heading', { name: 'Run workflows on REANA' })
    ).toBeVisible();
    await expect(reana.panel.getByRole('button', { name: 'Add REANA connection…' })).toBeVisible();
    await expect(reana.switcher).toHaveCount(0);
  });

  test('names both versions when the server extension is from another release', async ({
    page
  }) => {
    // Given an open panel and a server extension that reports another version
    const sidebar = new ReanaOpenbisPanel(page);
    await sidebar.openFromTab();
    await sidebar.fakeServerVersion('0.0.1');

    // When the user refreshes the panel
    await sidebar.refresh();

    // Then the panel explains the mismatch with both versions
    await expect(sidebar.alert).toContainText('Version mismatch');
    await expect(sidebar.alert).toContainText(
      `The server extension is version 0.0.1 but this panel is version ${VERSION}.`
    );
    await expect(sidebar.alert).toContainText('restart JupyterLab');
    await expect(sidebar.switcher).toHaveCount(0);
  });

  test('explains how to check a missing server extension', async ({ page, consoleErrors }) => {
    // Given an open panel and a Jupyter server without the extension
    consoleErrors.expect(MISSING_EXTENSION, 'the test fakes a server without the extension');
    const sidebar = new ReanaOpenbisPanel(page, 'REANA');
    await sidebar.openFromTab();
    await sidebar.fakeMissingServerExtension();

    // When the user refreshes the panel
    await sidebar.refresh();

    // Then the panel names the problem and the command that shows it
    await expect(sidebar.alert).toContainText('Server extension not running');
    await expect(sidebar.alert.getByText('jupyter server extension list')).toBeVisible();
  });

  test('tells about a missing server extension at start, wherever the user looks', async ({
    page,
    consoleErrors
  }) => {
    // Given a Jupyter server without the extension
    consoleErrors.expect(MISSING_EXTENSION, 'the test fakes a server without the extension');
    const sidebar = new ReanaOpenbisPanel(page);
    await sidebar.fakeMissingServerExtension();

    // When JupyterLab starts
    await page.reload();

    // Then a notification says so and leads to the details
    const toast = page.getByRole('alert').filter({
      hasText: 'The reana_openbis_lab server extension is not running.'
    });
    await expect(toast).toBeVisible();
    await toast.getByRole('button', { name: 'Show details' }).click();
    await expect(sidebar.connectionsView.getByRole('alert')).toContainText(
      'Server extension not running'
    );
  });

  test('lists the openBIS and REANA connections with their status', async ({
    page,
    consoleErrors
  }) => {
    // Given a server with two connections per service
    consoleErrors.expect(
      FAKED_CONNECTIONS,
      'the faked connections do not exist on the server, so their tree and runs are not found'
    );
    const sidebar = new ReanaOpenbisPanel(page);
    await sidebar.fakeConnections(OPENBIS_CONNECTIONS, REANA_CONNECTIONS);

    // When the user opens the connections view from the panel
    await sidebar.openFromTab();
    await sidebar.refresh();
    await sidebar.openConnections();

    // Then each connection shows its state in words
    const openbis = sidebar.connectionList('openBIS').getByRole('listitem');
    await expect(openbis).toHaveCount(2);
    await expect(openbis.filter({ hasText: 'institute' })).toContainText('Connected as alice');
    await expect(openbis.filter({ hasText: 'institute' })).toContainText('preset');
    await expect(openbis.filter({ hasText: 'test-instance' })).toContainText('Session expired');
    const reana = sidebar.connectionList('REANA').getByRole('listitem');
    await expect(reana.filter({ hasText: 'reana-cern' })).toContainText('Token accepted');
    await expect(reana.filter({ hasText: 'local' })).toContainText('No access token');

    // And a connection that skips certificate checks says so
    await expect(reana.filter({ hasText: 'local' })).toContainText(
      'Server certificate not checked'
    );
    await expect(reana.filter({ hasText: 'reana-cern' })).not.toContainText('certificate');
  });

  test('panels and the connections view open from the command palette', async ({ page }) => {
    // Given JupyterLab with the panels closed
    const openbis = new ReanaOpenbisPanel(page, 'openBIS');
    const reana = new ReanaOpenbisPanel(page, 'REANA');
    await expect(openbis.panel).toBeHidden();

    // When the user runs the palette commands, the panels and the view are shown
    await openbis.openFromPalette();
    await expect(openbis.title).toHaveText('openBIS');
    await reana.openFromPalette();
    await expect(reana.title).toHaveText('REANA');
    await reana.runFromPalette('Manage openBIS & REANA Connections');
    await expect(reana.connectionList('REANA')).toBeVisible();
  });

  test('shows why a list failed and leaves out a service the server does not offer', async ({
    page,
    consoleErrors
  }) => {
    // Given an openBIS list that fails and a server without REANA routes
    consoleErrors.expect(
      /status of (502 .*\/openbis|404 .*\/reana)\/connections\)$/,
      'the test fakes both failures'
    );
    const sidebar = new ReanaOpenbisPanel(page);
    await sidebar.fakeConnectionsError('openbis', 502, 'The connection store is unreadable.');
    await sidebar.fakeConnectionsError('reana', 404, 'Not Found');

    // When the user opens the panel and refreshes it
    await sidebar.openFromTab();
    await sidebar.refresh();

    // Then the openBIS panel gives the server's reason and there is no REANA tab
    await expect(sidebar.alert).toHaveText(
      'Could not list the connections: The connection store is unreadable.'
    );
    await expect(new ReanaOpenbisPanel(page, 'REANA').tab).toBeHidden();
  });
});
