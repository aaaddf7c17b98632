import { expect, test } from './helpers/test';

import { Reana } from './helpers/Reana';

/** A spec whose one step lasts long enough to be stopped (the sandbox reads the parameter). */
const SLOW = `version: 0.9.0
inputs:
  parameters:
    sandbox_step_seconds: 60
workflow:
  type: serial
  specification:
    steps:
      - name: wait
        environment: docker.io/library/python:3.11-slim
        commands:
          - sleep \${sandbox_step_seconds}
`;

test.describe('Run on REANA', () => {
  test('runs the demo analysis with an overridden parameter and follows it to the end', async ({
    page
  }) => {
    // Given the demo workspace's analysis/reana.yaml in the file browser
    await page.filebrowser.openDirectory('analysis');
    await page.getByRole('listitem', { name: /^Name: reana\.yaml/ }).click({ button: 'right' });

    // When the user runs it with another output file
    await page.getByRole('menuitem', { name: 'Run on REANA…' }).click();
    const dialog = page.locator('.jp-Dialog');
    await expect(dialog.getByRole('status')).toHaveText('The specification is valid.');
    await expect(dialog.getByRole('textbox', { name: 'names' })).toHaveValue('data/names.txt');
    await expect(dialog).toContainText('2 files');
    await expect(dialog.locator('input[name="workflowName"]')).toHaveValue('analysis');
    await dialog.getByRole('textbox', { name: 'output' }).fill('results/hello.txt');
    await dialog.getByRole('button', { name: 'Run' }).click();

    // Then the run's view opens once REANA started it, follows it live to "finished"
    const view = page.locator('.jp-ReanaOpenbis-workflowView').filter({ hasText: /analysis\.\d+/ });
    await expect(view).toBeVisible({ timeout: 30000 });
    await view.getByRole('tab', { name: 'Logs' }).click();
    await expect(view.getByRole('log', { name: 'Workflow log' })).toContainText('started', {
      timeout: 30000
    });
    await expect(view.locator('.jp-ReanaOpenbis-viewHeader')).toContainText('finished', {
      timeout: 60000
    });
    await view.getByRole('button', { name: /greet/ }).click();
    await expect(view.getByRole('log', { name: 'Log of job greet' })).toContainText(
      'step greet done'
    );
    await view.getByRole('tab', { name: 'Overview' }).click();
    await expect(view.getByRole('table', { name: 'Parameters' })).toContainText(
      'results/hello.txt'
    );

    // and a notification says it finished, with a way to fetch the outputs
    const toast = page
      .locator('.Toastify__toast')
      .filter({ hasText: /REANA run analysis\.\d+ finished/ });
    await expect(toast).toBeVisible({ timeout: 30000 });
    await expect(toast.getByRole('button', { name: 'Download outputs' })).toBeVisible();
  });

  test('stops a running run, then deletes it with its workspace', async ({ page, tmpPath }) => {
    await page.contents.uploadContent(SLOW, 'text', `${tmpPath}/reana.yaml`);
    await page.filebrowser.refresh();
    await page.getByRole('listitem', { name: /^Name: reana\.yaml/ }).click({ button: 'right' });
    await page.getByRole('menuitem', { name: 'Run on REANA…' }).click();
    const dialog = page.locator('.jp-Dialog');
    await expect(dialog.getByRole('status')).toContainText('valid');
    // A name REANA would refuse is caught in the browser, as the user types
    const nameField = dialog.locator('input[name="workflowName"]');
    await nameField.fill('stop me!');
    expect(
      await nameField.evaluate((input: HTMLInputElement) => input.validity.patternMismatch)
    ).toBe(true);
    await expect(dialog.getByRole('alert')).toHaveText(
      'Use letters, digits, - and _ only (at most 100).'
    );
    // and the dialog cannot be sent with it
    await expect(dialog.getByRole('button', { name: 'Run' })).toBeDisabled();
    await nameField.fill('stop-me');
    await expect(dialog.getByRole('button', { name: 'Run' })).toBeEnabled();
    await expect(dialog.getByRole('alert')).toHaveCount(0);
    await dialog.getByRole('button', { name: 'Run' }).click();

    const view = page.locator('.jp-ReanaOpenbis-workflowView').filter({ hasText: /stop-me\.\d+/ });
    const header = view.locator('.jp-ReanaOpenbis-viewHeader');
    await expect(header).toContainText('running', { timeout: 30000 });
    const name = (await header.locator('h2').textContent()) ?? '';

    // Stop, confirmed
    await header.getByRole('button', { name: 'Stop' }).click();
    await page.locator('.jp-Dialog').getByRole('button', { name: 'Stop' }).click();
    await expect(header).toContainText('stopped', { timeout: 30000 });

    // Delete with the workspace, confirmed: the view closes and the list forgets it
    await header.getByRole('button', { name: 'Delete…' }).click();
    const confirm = page.locator('.jp-Dialog');
    await expect(confirm.getByRole('checkbox')).toBeChecked();
    await confirm.getByRole('button', { name: 'Delete' }).click();
    await expect(view).toHaveCount(0);

    const reana = new Reana(page);
    await reana.open();
    await reana.search.fill('stop-me');
    await expect(reana.runs.getByRole('button', { name, exact: true })).toHaveCount(0);
  });
});
