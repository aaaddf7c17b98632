import { expect, test } from './helpers/test';

import { OpenbisSection } from './helpers/OpenbisSection';

/** The sandbox's credentials (README, "make demo"). */
const ALICE = { username: 'alice', password: 'sandbox-alice-password' };

test.describe('openBIS connections', () => {
  test('adds a connection after a wrong password, then logs out and deletes it', async ({
    page,
    consoleErrors
  }) => {
    consoleErrors.expect(/status of 403 .*\/login\)$/, 'the test types a wrong password');
    consoleErrors.expect(
      /status of 401 .*\/spaces\?/,
      'after the log-out, the tree of the browsed connection asks once and offers "Log in again"'
    );
    // Given the panel with the sandbox preset, whose address a new connection reuses
    const openbis = new OpenbisSection(page);
    await openbis.openConnections();
    const preset = openbis.connection('openbis');
    await expect(preset).toContainText('preset');
    const url = (await preset.locator('.jp-ReanaOpenbis-connectionUrl').textContent()) ?? '';
    const name = `lab-${Date.now()}`;

    // When the user adds a connection with a wrong password
    await openbis.open();
    await openbis.addButton.click();
    await expect(openbis.dialog.getByText('Add openBIS connection')).toBeVisible();
    await openbis.fillConnection({ name, url, username: ALICE.username, password: 'wrong' });
    await openbis.dialog.getByRole('button', { name: 'Add and log in' }).click();

    // Then the dialog stays open, says what is wrong next to the password, keeps the input
    await expect(openbis.field('Password')).toHaveAccessibleDescription(
      /openBIS did not accept this user name and password/
    );
    await expect(openbis.field('Name')).toHaveValue(name);
    await expect(openbis.field('User name')).toHaveValue(ALICE.username);

    // When the user types the right password
    await openbis.field('Password').fill(ALICE.password);
    await openbis.dialog.getByRole('button', { name: 'Add and log in' }).click();

    // Then the dialog closes, the panel browses the new connection, logged in as alice
    await expect(openbis.dialog).toHaveCount(0);
    await expect(openbis.sidebar.switcherButton).toHaveAccessibleName(
      `openBIS connection ${name}: Connected as alice. Switch connection`
    );
    await openbis.openConnections();
    const row = openbis.connection(name);
    await expect(row).toContainText('Connected as alice');
    await expect(row).not.toContainText('preset');
    await expect(row.getByText('sandbox-alice-password')).toHaveCount(0);

    // When the user logs out
    await row.getByRole('button', { name: 'Log out' }).click();
    await expect(row).toContainText('Not logged in');

    // And deletes it, confirming
    await row.getByRole('button', { name: `Delete connection ${name}` }).click();
    await openbis.dialog.getByRole('button', { name: 'Delete' }).click();
    await expect(row).toHaveCount(0);
  });

  test('marks presets, which cannot be edited or deleted', async ({ page }) => {
    const openbis = new OpenbisSection(page);
    await openbis.openConnections();

    const preset = openbis.connection('openbis');

    await expect(preset.getByText('preset', { exact: true })).toBeVisible();
    await expect(preset.getByRole('button', { name: /Edit connection/ })).toHaveCount(0);
    await expect(preset.getByRole('button', { name: /Delete connection/ })).toHaveCount(0);
  });

  test('warns when certificate checks are turned off', async ({ page }) => {
    const openbis = new OpenbisSection(page);
    await openbis.open();

    await openbis.addButton.click();
    await openbis.dialog.getByLabel('Verify the server certificate').uncheck();

    await expect(openbis.dialog.getByRole('alert')).toContainText('Without certificate checks');
    await openbis.dialog.getByRole('button', { name: 'Cancel' }).click();
  });

  test('shows "Log in again" in place when the session expired', async ({ page }) => {
    // Given a connection whose session expired and whose secret was not remembered
    const openbis = new OpenbisSection(page);
    await openbis.sidebar.fakeConnections(
      [
        {
          name: 'expiring',
          url: 'https://openbis.example.org',
          verifyCertificates: true,
          insecureHttp: false,
          username: 'alice',
          auth: 'password',
          preset: false,
          hasSecret: false,
          status: 'expired',
          loggedInAs: null,
          lastError: 'The openBIS session expired; log in again.'
        }
      ],
      []
    );
    await openbis.open();
    await openbis.sidebar.refresh();
    const line = openbis.sidebar.switcher;
    await expect(line).toContainText('Session expired');

    // When the user clicks "Log in again", in place on the panel's connection line
    await line.getByRole('button', { name: 'Log in again' }).click();

    // Then a log-in dialog asks only for the password
    await expect(openbis.dialog.getByText('Log in to openBIS expiring')).toBeVisible();
    await expect(openbis.field('Password')).toBeFocused();
    await expect(openbis.dialog.getByLabel('Name', { exact: true })).toHaveCount(0);
    await openbis.dialog.getByRole('button', { name: 'Cancel' }).click();
  });
});
