import { expect, test } from './helpers/test';
import { ChildProcess, spawn } from 'child_process';
import { mkdtempSync, readFileSync, existsSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';

import { API } from './helpers/transfers';
import { Reana } from './helpers/Reana';

/** A spec whose command uses a parameter it does not declare: the server warns (line 13). */
const SPEC = `version: 0.9.0
inputs:
  files: [data/names.txt]
  parameters:
    names: data/names.txt
workflow:
  type: serial
  specification:
    steps:
      - name: greet
        environment: docker.io/library/python:3.11-slim
        commands:
          - cat \${names} \${missing}
`;
/** Sorts before the demo's preset, so the run dialog picks it first. */
const CONNECTION = 'a-reana-095';

/** A sandbox REANA speaking reana-commons 0.95.0a26's protocol (bundles, server validation). */
function startReana095(): { process: ChildProcess; state: string } {
  const dir = mkdtempSync(join(tmpdir(), 'reana-095-'));
  const state = join(dir, 'state.json');
  const process = spawn(
    'python',
    ['-m', 'reana_openbis_lab_sandbox.cli', '--only', 'reana', '--reana-api', '0.95'].concat([
      '--workflow-speed',
      '0.3',
      '--state-file',
      state
    ]),
    { stdio: 'ignore' }
  );
  return { process, state };
}

test.describe('A REANA 0.95 server (specification bundles)', () => {
  let server: { process: ChildProcess; state: string };

  test.beforeAll(async () => {
    server = startReana095();
    await expect.poll(() => existsSync(server.state), { timeout: 30000 }).toBe(true);
  });

  test.afterAll(() => {
    server.process.kill('SIGTERM');
  });

  test.beforeEach(async ({ page, tmpPath }) => {
    const reana = JSON.parse(readFileSync(server.state, 'utf-8')).reana;
    await page.request.delete(`${API}/reana/connections/${CONNECTION}`);
    const added = await page.request.post(`${API}/reana/connections`, {
      data: { name: CONNECTION, url: reana.url, accessToken: reana.token }
    });
    expect(added.status()).toBe(201);
    await page.contents.uploadContent(SPEC, 'text', `${tmpPath}/reana.yaml`);
    await page.contents.uploadContent('Ada\n', 'text', `${tmpPath}/data/names.txt`);
    await page.filebrowser.refresh();
  });

  test.afterEach(async ({ page }) => {
    await page.request.delete(`${API}/reana/connections/${CONNECTION}`);
  });

  for (const theme of ['light', 'dark'] as const) {
    test(`the server validates, creates and starts the run (${theme})`, async ({
      page,
      tmpPath
    }) => {
      if (theme === 'dark') {
        await page.theme.setDarkTheme();
      }
      // The connection says which REANA it is
      const reana = new Reana(page);
      await reana.open();
      // (added through the REST API after the page loaded: read the connections again)
      await reana.sidebar.refresh();
      await reana.openConnections();
      await expect(reana.connection(CONNECTION)).toContainText('REANA 0.95.0a7');

      // Run on REANA: the chosen server checks the spec and places its warning
      await page.sidebar.openTab('filebrowser');
      await page.getByRole('listitem', { name: /^Name: reana\.yaml/ }).click({ button: 'right' });
      await page.getByRole('menuitem', { name: 'Run on REANA…' }).click();
      const dialog = page.locator('.jp-Dialog');
      await expect(dialog.getByRole('status')).toContainText('checked by the REANA server');
      await expect(dialog.getByRole('status')).toContainText('1 warning');
      await expect(dialog).toContainText('13:');
      await expect(dialog).toContainText('"missing"');
      await page.screenshot({ path: `test-results/reana-095-validate-${theme}.png` });

      // The run is created from a bundle and started; the start's warning is shown
      await dialog.locator('input[name="workflowName"]').fill(`bundle-${theme}`);
      await dialog.getByRole('button', { name: 'Run' }).click();
      const view = page
        .locator('.jp-ReanaOpenbis-workflowView')
        .filter({ hasText: new RegExp(`bundle-${theme}\\.\\d+`) });
      await expect(view).toBeVisible({ timeout: 30000 });
      await expect(
        page
          .locator('.Toastify__toast')
          .filter({ hasText: /started bundle-\w+\.\d+ with warnings/ })
      ).toBeVisible();
      await expect(view.locator('.jp-ReanaOpenbis-viewHeader')).toContainText('finished', {
        timeout: 30000
      });
      await page.screenshot({ path: `test-results/reana-095-run-${theme}.png` });
    });
  }
});
