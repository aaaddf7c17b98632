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

test.describe('openBIS & REANA side panel', () => {
  test('opens from its tab with the sandbox presets and the server extension version', async ({
    page
  }) => {
    // Given JupyterLab started like `make demo`: the sandbox openBIS and REANA as presets
    const sidebar = new ReanaOpenbisPanel(page);

    // When the user clicks the panel's tab
    await sidebar.openFromTab();

    // Then the panel has its title, lists both presets from the real server and names its version
    await expect(sidebar.title).toHaveText('openBIS & REANA');
    const openbis = sidebar.connectionList('openBIS').getByRole('listitem');
    await expect(openbis.filter({ hasText: 'openbis' })).toContainText('preset');
    const reana = sidebar.connectionList('REANA').getByRole('listitem');
    await expect(reana.filter({ hasText: 'default' })).toContainText('preset');
    await expect(sidebar.serverVersion).toHaveText(`Server extension ${VERSION}`);
    await expect(sidebar.alert).toHaveCount(0);
  });

  test('says what to do first when there is no connection at all', async ({ page }) => {
    // Given a server without any connection
    const sidebar = new ReanaOpenbisPanel(page);
    await sidebar.fakeConnections([], []);

    // When the user opens the panel and refreshes it
    await sidebar.openFromTab();
    await sidebar.refresh();

    // Then the panel explains what it is for
    await expect(
      sidebar.panel.getByRole('heading', { name: 'Bring your openBIS data to REANA' })
    ).toBeVisible();
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
    await expect(sidebar.serverVersion).toHaveCount(0);
  });

  test('explains how to check a missing server extension', async ({ page, consoleErrors }) => {
    // Given an open panel and a Jupyter server without the extension
    consoleErrors.expect(MISSING_EXTENSION, 'the test fakes a server without the extension');
    const sidebar = new ReanaOpenbisPanel(page);
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

    // Then a notification says so and leads to the panel
    const toast = page.getByRole('alert').filter({
      hasText: 'The reana_openbis_lab server extension is not running.'
    });
    await expect(toast).toBeVisible();
    await toast.getByRole('button', { name: 'Show details' }).click();
    await expect(sidebar.alert).toContainText('Server extension not running');
  });

  test('lists the openBIS and REANA connections with their status', async ({
    page,
    consoleErrors
  }) => {
    // Given a server with two connections per service
    consoleErrors.expect(
      /status of 404 .*\/(openbis\/connections\/institute\/spaces|reana\/connections\/reana-cern\/workflows)\?/,
      'the faked connections do not exist on the server, so their tree and runs are not found'
    );
    const sidebar = new ReanaOpenbisPanel(page);
    await sidebar.fakeConnections(OPENBIS_CONNECTIONS, REANA_CONNECTIONS);

    // When the user opens the panel and refreshes it
    await sidebar.openFromTab();
    await sidebar.refresh();

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

  test('opens from the command palette', async ({ page }) => {
    // Given JupyterLab with the panel closed
    const sidebar = new ReanaOpenbisPanel(page);
    await expect(sidebar.panel).toBeHidden();

    // When the user runs the palette command
    await sidebar.openFromPalette();

    // Then the panel is shown
    await expect(sidebar.title).toHaveText('openBIS & REANA');
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

    // Then the openBIS section gives the server's reason and there is no REANA section
    await expect(sidebar.alert).toHaveText(
      'Could not list the connections: The connection store is unreadable.'
    );
    await expect(sidebar.sectionTitle('openBIS')).toBeVisible();
    await expect(sidebar.sectionTitle('REANA')).toBeHidden();
  });
});
