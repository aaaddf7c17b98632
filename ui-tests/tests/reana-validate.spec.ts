import { expect, test } from './helpers/test';

/** A spec reana-client accepts. */
const GOOD = `version: 0.9.0
inputs:
  parameters:
    n: 3
workflow:
  type: serial
  specification:
    steps:
      - environment: docker.io/library/python:3.11-slim
        commands:
          - echo \${n}
`;

/** The same spec with `command` for `commands`: reana-client rejects it (line 9). */
const BROKEN = GOOD.replace('commands:', 'command:');

test.describe('Validate REANA specification', () => {
  test.beforeEach(async ({ page, tmpPath }) => {
    await page.contents.uploadContent(GOOD, 'text', `${tmpPath}/reana.yaml`);
    await page.contents.uploadContent(BROKEN, 'text', `${tmpPath}/reana-broken.yaml`);
    await page.filebrowser.refresh();
  });

  test('from the file browser: a good spec is valid', async ({ page }) => {
    await page.getByRole('listitem', { name: /^Name: reana\.yaml/ }).click({ button: 'right' });
    await page.getByRole('menuitem', { name: 'Validate REANA Specification' }).click();
    const view = page.locator('.jp-ReanaOpenbis-validation');
    await expect(view.getByRole('status')).toHaveText(/Valid REANA specification/);
  });

  test('from the file browser: a broken spec lists its error and jumps to it', async ({ page }) => {
    await page
      .getByRole('listitem', { name: /^Name: reana-broken\.yaml/ })
      .click({ button: 'right' });
    await page.getByRole('menuitem', { name: 'Validate REANA Specification' }).click();
    const view = page.locator('.jp-ReanaOpenbis-validation');
    await expect(view.getByRole('status')).toHaveText(/Not valid: 1 error/);
    const error = view.getByRole('list', { name: 'Errors' }).getByRole('button');
    await expect(error).toContainText('line 9, column 9');
    await expect(error).toContainText("no 'commands'");

    // Clicking the error opens the file with the cursor on that line
    await error.click();
    const editor = page.locator('.jp-FileEditor').filter({ hasText: 'command:' });
    await expect(editor).toBeVisible();
    await expect(page.locator('#jp-main-statusbar')).toContainText('Ln 9, Col 9');
    // and the editor underlines the same place
    await expect(editor.locator('.jp-ReanaOpenbis-diagnostic.jp-mod-error')).toBeVisible();
  });

  test('inline diagnostics follow saves in the editor', async ({ page, tmpPath }) => {
    await page.filebrowser.open(`${tmpPath}/reana.yaml`);
    const editor = page.locator('.jp-FileEditor');
    await expect(editor).toBeVisible();
    await expect(editor.locator('.jp-ReanaOpenbis-diagnostic.jp-mod-error')).toHaveCount(0);

    // Break it and save: the error shows without running any command
    await editor.locator('.cm-line').filter({ hasText: 'commands:' }).click();
    await page.keyboard.press('End');
    await page.keyboard.press('Shift+Home');
    await page.keyboard.type('command:');
    await page.keyboard.press('Control+s');
    await expect(editor.locator('.jp-ReanaOpenbis-diagnostic.jp-mod-error')).toBeVisible({
      timeout: 10000
    });
    await expect(editor.locator('.jp-ReanaOpenbis-diagnosticMarker.jp-mod-error')).toBeVisible();
  });
});

test.describe('Without a reana-client environment', () => {
  test('validate and run say what to install, with a copy button', async ({
    page,
    tmpPath,
    consoleErrors
  }) => {
    // Given a server that answers as it does without reana-client
    consoleErrors.expect(
      /status of 503 .*\/reana\/validate\)$/,
      'the test fakes the answer of a server without reana-client'
    );
    await page.route('**/reana/validate*', route =>
      route.fulfill({
        status: 503,
        json: {
          message:
            'reana-client is not installed for this server; run `jupyter reana-openbis-lab install-reana-client` and restart the server',
          code: 'reana_client_missing'
        }
      })
    );
    await page.contents.uploadContent(GOOD, 'text', `${tmpPath}/reana.yaml`);
    await page.filebrowser.refresh();

    // When the user validates, then runs the spec
    await page.getByRole('listitem', { name: /^Name: reana\.yaml/ }).click({ button: 'right' });
    await page.getByRole('menuitem', { name: 'Validate REANA Specification' }).click();

    // Then both explain the install command and offer to copy it
    const view = page.locator('.jp-ReanaOpenbis-validation');
    await expect(view.getByRole('alert')).toContainText(
      'jupyter reana-openbis-lab install-reana-client'
    );
    await expect(view.getByRole('button', { name: 'Copy the command' })).toBeVisible();

    await page.getByRole('listitem', { name: /^Name: reana\.yaml/ }).click({ button: 'right' });
    await page.getByRole('menuitem', { name: 'Run on REANA…' }).click();
    const dialog = page.locator('.jp-Dialog');
    await expect(dialog.getByRole('alert')).toContainText('install-reana-client');
    await dialog.getByRole('button', { name: 'Close' }).click();
  });
});
