import { expect, test } from './helpers/test';
import { APIRequestContext } from '@playwright/test';
import { join } from 'path';

import { Reana, sandboxReana } from './helpers/Reana';

/** Where the README takes its pictures from. */
const SCREENSHOTS_DIR = join(__dirname, '..', '..', 'docs', 'screenshots');
/** The demo's REANA account (`DEMO_REANA_ACCOUNT`): 1 h of CPU, 100 MiB of disk, a year. */
const DEMO_ACCOUNT = { cpuLimit: 3_600_000, diskLimit: 100 * 1024 * 1024, retentionDays: 365 };

/** Change the sandbox REANA's account settings (the test rig's control route). */
async function setAccount(request: APIRequestContext, settings: object): Promise<void> {
  const response = await request.post(`${sandboxReana().url}/__sandbox__/reana/account`, {
    data: settings
  });
  expect(response.ok()).toBe(true);
}

test.describe('REANA account', () => {
  test.afterEach(async ({ request }) => {
    await setAccount(request, DEMO_ACCOUNT);
  });

  test('quota: usage against limits in REANA health colours, where the connection is', async ({
    page,
    request
  }) => {
    const reana = new Reana(page);
    await reana.open();
    // On the panel's connection line: each resource's share of its limit
    const line = reana.section.getByRole('group', { name: 'Quota', exact: true });
    await expect(line).toContainText('CPU');
    await expect(line.getByRole('meter', { name: 'Disk quota' })).toBeVisible();
    // In the connections view: the share of the limit in words
    await reana.openConnections();
    const row = reana.connection('default');
    const quota = row.getByRole('group', { name: 'Quota', exact: true });
    await expect(quota).toContainText(/Disk.*% of 100 MiB/);
    await expect(quota.getByRole('meter', { name: 'Disk quota' })).toBeVisible();

    // When the administrators lower the disk limit below what is used, the next check shows it
    await setAccount(request, { diskLimit: 1 });
    await row.getByRole('button', { name: 'Check token' }).click();
    await expect(quota).toContainText('used up');
    await expect(quota.locator('.jp-ReanaOpenbis-quotaRow.jp-mod-critical')).toHaveCount(1);
    await expect(line.locator('.jp-ReanaOpenbis-quotaRow.jp-mod-critical')).toHaveCount(1);

    // A REANA without limits says the usage only
    await setAccount(request, { diskLimit: null, cpuLimit: null });
    await row.getByRole('button', { name: 'Check token' }).click();
    await expect(quota).toContainText(/used/);
    await expect(quota.getByRole('meter')).toHaveCount(0);
  });

  test('retention: the run expiry in its overview, expiring files marked', async ({ page }) => {
    const reana = new Reana(page);
    await reana.open();
    const view = await reana.openRun('demo-finished.1');
    await expect(view.locator('.jp-ReanaOpenbis-facts')).toContainText('Files expire');
    const rules = view.getByRole('table', { name: 'Retention rules' });
    await expect(rules).toContainText('data/*');
    await expect(rules).toContainText('7 days');
    await view.getByRole('tab', { name: 'Workspace' }).click();
    const files = view.getByRole('table', { name: 'Workspace files' });
    // data/* goes after 7 days: marked; the rest under the server's rule, said once above
    await expect(view.getByText(/REANA deletes every file of this run on/)).toBeVisible();
    const mark = (name: RegExp) =>
      files.getByRole('row', { name }).locator('.jp-ReanaOpenbis-expires');
    await expect(mark(/data\/events\.csv/)).toHaveAttribute('title', /data\/\* 7 days/);
    await expect(mark(/code\/analyse\.py/)).toHaveCount(0);
    // A folder of a path narrows the list to it
    await files.getByRole('button', { name: 'results' }).first().click();
    await expect(view.getByRole('navigation', { name: 'Folder' })).toContainText('results');
    await expect(view.getByRole('button', { name: 'Download results/' })).toBeVisible();
  });

  test('secrets: add an environment variable and a file, replace, delete', async ({
    page,
    consoleErrors
  }) => {
    consoleErrors.expect(/status of 409/, 'the same name again is refused, then replaced');
    const reana = new Reana(page);
    await reana.open();
    const name = `TOKEN_${Date.now() % 100000}`;
    // From the connection line's menu
    await reana.section.getByRole('button', { name: /^REANA connection default/ }).click();
    await page.getByRole('menuitem', { name: 'Secrets…' }).click();
    const dialog = reana.dialog;
    await expect(dialog).toContainText('Their values are never shown again');
    await dialog.locator('input[name="secretName"]').fill(name);
    await dialog.locator('input[name="secretValue"]').fill('s3cr3t-value');
    await dialog.getByRole('button', { name: 'Add secret' }).click();
    const list = dialog.getByRole('list', { name: 'Secrets' });
    await expect(list).toContainText(name);
    await expect(list).toContainText('environment variable');
    // The value is gone from the form and never shown
    await expect(dialog.locator('input[name="secretName"]')).toHaveValue('');
    await expect(dialog).not.toContainText('s3cr3t-value');

    // The same name again: offered to replace, in place
    await dialog.locator('input[name="secretName"]').fill(name);
    await dialog.locator('input[name="secretValue"]').fill('other');
    await dialog.getByRole('button', { name: 'Add secret' }).click();
    await expect(dialog.getByRole('status')).toContainText('exists already');
    await dialog.getByRole('button', { name: 'Replace it' }).click();
    await expect(dialog.getByRole('status')).toContainText(`Added ${name}`);

    // A file
    await dialog.getByLabel('a file').check();
    await dialog.locator('input[name="secretName"]').fill(`${name.toLowerCase()}.keytab`);
    await dialog.locator('input[name="secretFile"]').setInputFiles({
      name: 'user.keytab',
      mimeType: 'application/octet-stream',
      buffer: Buffer.from([5, 2, 0, 1])
    });
    await dialog.getByRole('button', { name: 'Add secret' }).click();
    await expect(list).toContainText(`${name.toLowerCase()}.keytab`);

    // Delete asks once more, in the row
    for (const secret of [name, `${name.toLowerCase()}.keytab`]) {
      await dialog.getByRole('button', { name: `Delete the secret ${secret}…` }).click();
      await dialog.getByRole('button', { name: `Delete ${secret}`, exact: true }).click();
      await expect(list.getByText(secret, { exact: true })).toHaveCount(0);
    }
    await dialog.getByRole('button', { name: 'Close' }).click();
  });
});

/**
 * Screens of quota, retention and secrets in both themes and two window sizes, for the
 * README and for looking at: `DOCS_SCREENSHOTS=1 jlpm playwright test reana-account`.
 */
test.describe('README screenshots of quota, retention and secrets', () => {
  test.skip(!process.env.DOCS_SCREENSHOTS, 'set DOCS_SCREENSHOTS=1 to refresh docs/screenshots');

  for (const [width, height] of [
    [1440, 900],
    [1024, 700]
  ] as const) {
    for (const theme of ['light', 'dark'] as const) {
      test(`${theme} at ${width}x${height}`, async ({ page, request }) => {
        await page.setViewportSize({ width, height });
        if (theme === 'dark') {
          await page.theme.setDarkTheme();
        }
        const shot = (name: string) =>
          page.screenshot({
            path: join(SCREENSHOTS_DIR, `reana-${name}-${theme}-${width}x${height}.png`)
          });
        // Disk nearly used up (88 %), so REANA's warning colour shows
        const sandbox = sandboxReana();
        const you = await (
          await request.get(`${sandbox.url}/api/you`, { params: { access_token: sandbox.token } })
        ).json();
        await setAccount(request, { diskLimit: Math.ceil(you.quota.disk.usage.raw / 0.88) });
        const reana = new Reana(page);
        await reana.open();
        await reana.openConnections();
        const row = reana.connection('default');
        await row.getByRole('button', { name: 'Check token' }).click();
        await expect(row.locator('.jp-ReanaOpenbis-quotaRow.jp-mod-warning')).toHaveCount(1);
        await expect(
          reana.section.locator('.jp-ReanaOpenbis-quotaRow.jp-mod-warning')
        ).toHaveCount(1);
        await expect(reana.runs.getByRole('listitem').first()).toBeVisible();
        await page.mouse.move(width - 10, height - 10);
        await page.mouse.move(width - 10, height - 10);
        await shot('quota');

        const view = await reana.openRun('demo-finished.1');
        await expect(view.getByRole('table', { name: 'Retention rules' })).toBeVisible();
        await page.mouse.move(width - 10, height - 10);
        await shot('retention');
        await view.getByRole('tab', { name: 'Workspace' }).click();
        await expect(view.getByRole('table', { name: 'Workspace files' })).toContainText(
          'expires'
        );
        await shot('workspace-expiry');

        await reana.section.getByRole('button', { name: /^REANA connection default/ }).click();
        await page.getByRole('menuitem', { name: 'Secrets…' }).click();
        const dialog = reana.dialog;
        const names = ['CERN_USER', 'RUCIO_ACCOUNT'];
        for (const name of names) {
          await dialog.locator('input[name="secretName"]').fill(name);
          await dialog.locator('input[name="secretValue"]').fill('not-shown');
          await dialog.getByRole('button', { name: 'Add secret' }).click();
          await expect(dialog.getByRole('list', { name: 'Secrets' })).toContainText(name);
        }
        await dialog.getByLabel('a file').check();
        await dialog.locator('input[name="secretName"]').fill('.keytab');
        await shot('secrets');
        for (const name of names) {
          await dialog.getByRole('button', { name: `Delete the secret ${name}…` }).click();
          await dialog.getByRole('button', { name: `Delete ${name}`, exact: true }).click();
          await expect(dialog.getByRole('list', { name: 'Secrets' }).getByText(name)).toHaveCount(0);
        }
        await dialog.getByRole('button', { name: 'Close' }).click();
        await setAccount(request, DEMO_ACCOUNT);
      });
    }
  }
});
