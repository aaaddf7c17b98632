import { expect, galata, test } from './helpers/test';

import { Reana, sandboxReana } from './helpers/Reana';

test.describe('REANA connections', () => {
  test('a wrong token is refused in place, the right one is accepted', async ({
    page,
    consoleErrors
  }) => {
    consoleErrors.expect(
      /status of 403 .*\/reana\/connections\)$/,
      'the sandbox refuses the wrong token the test types'
    );
    const reana = new Reana(page);
    const sandbox = sandboxReana();
    const name = `sandbox-copy-${Date.now() % 100000}`;
    await reana.open();

    // When the user adds a connection with a wrong token
    await reana.section
      .getByRole('button', { name: 'Add a REANA server and its access token' })
      .click();
    const dialog = reana.dialog;
    await dialog.locator('input[name="name"]').fill(name);
    await dialog.locator('input[name="url"]').fill(sandbox.url);
    await dialog.locator('input[name="accessToken"]').fill('not-the-token');

    // Then each field says what it is for, and the sandbox's http:// address is called unsafe
    await expect(dialog.locator('input[name="accessToken"]')).toHaveAccessibleDescription(
      /On your REANA profile page/
    );
    await expect(dialog).toContainText('Plain HTTP: the access token travels unencrypted.');
    await dialog.getByRole('button', { name: 'Add' }).click();

    // Then the dialog stays with the input and says the token was rejected, next to it
    await expect(dialog.getByRole('alert')).toContainText('REANA rejected this access token');
    await expect(dialog.locator('input[name="name"]')).toHaveValue(name);

    // When the user enters the right token
    await dialog.locator('input[name="accessToken"]').fill(sandbox.token);
    await dialog.getByRole('button', { name: 'Add' }).click();

    // Then the panel lists its runs, with the account REANA named on the connection line
    await expect(reana.sidebar.switcher).toContainText(name);
    await expect(reana.sidebar.switcher).toContainText(sandbox.email);

    // And the connections view lists it with the account REANA named
    await reana.openConnections();
    const row = reana.connection(name);
    await expect(row).toContainText('Token accepted');
    await expect(row).toContainText(`Signed in as ${sandbox.email}`);

    // And deleting it asks first, then forgets it
    await row.getByRole('button', { name: `Delete ${name}` }).click();
    await reana.dialog.getByRole('button', { name: 'Delete' }).click();
    await expect(reana.connection(name)).toHaveCount(0);
    await expect(reana.connection('default')).toContainText('preset');
  });
});

test.describe('REANA runs list', () => {
  test.use({
    mockSettings: {
      ...galata.DEFAULT_SETTINGS,
      'reana-openbis-lab:reana-section': { pageSize: 5 }
    }
  });

  test('filters by status, searches by name and pages', async ({ page }) => {
    const reana = new Reana(page);
    await reana.open();
    // Pages of 5 with the total
    await expect(reana.runs.getByRole('listitem')).toHaveCount(5);
    await expect(reana.pager).toContainText(/1–5 of \d+/);
    await reana.pager.getByRole('button', { name: 'Next' }).click();
    await expect(reana.pager).toContainText(/6–\d+ of \d+/);

    // Two statuses: only those runs, back on page 1
    await reana.filterStatuses(['failed', 'stopped']);
    await expect(reana.pager).toContainText(/^Previous1–/);
    for (const status of await reana.runs.locator('.jp-ReanaOpenbis-runStatus').allTextContents()) {
      expect(['failed', 'stopped']).toContain(status);
    }
    await expect(reana.run('demo-failed.1')).toBeVisible();

    // Search by name within the filter
    await reana.search.fill('demo-fail');
    await expect(reana.runs.getByRole('listitem')).toHaveCount(1);
    await expect(reana.run('demo-failed.1')).toBeVisible();

    // Oldest first puts the first seeded run on top
    await reana.filterStatuses(['failed', 'stopped']);
    await reana.search.fill('demo-');
    await reana.section.getByRole('combobox', { name: 'Sort runs' }).selectOption('asc');
    await expect(reana.runs.getByRole('listitem').first()).toContainText('demo-finished.1');
  });
});
