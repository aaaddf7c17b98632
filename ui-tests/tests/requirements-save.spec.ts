import { expect, IJupyterLabPageFixture, test } from './helpers/test';

/** An empty Python notebook, uploaded and opened (so its kernel session has its own path). */
async function openNotebook(page: IJupyterLabPageFixture, path: string): Promise<void> {
  const notebook = {
    cells: [],
    metadata: { kernelspec: { name: 'python3', display_name: 'Python 3', language: 'python' } },
    nbformat: 4,
    nbformat_minor: 5
  };
  await page.contents.uploadContent(JSON.stringify(notebook), 'text', path);
  await page.notebook.openByPath(path);
}

test.describe('Save requirements.txt and runtime.txt', () => {
  test('for a running notebook, from its toolbar, then open the files', async ({
    page,
    tmpPath
  }) => {
    test.setTimeout(120_000);
    // Given a notebook whose kernel runs
    await openNotebook(page, `${tmpPath}/analysis.ipynb`);
    await page.notebook.setCell(0, 'code', 'import json');
    await page.notebook.runCell(0);
    await page.notebook.save();

    // When the user clicks the toolbar button
    await page
      .locator('.jp-NotebookPanel-toolbar')
      .getByRole('button', { name: /Save the notebook's packages/ })
      .click();

    // Then both files are written next to the notebook and announced
    const notice = page.getByText('Saved requirements.txt and runtime.txt.');
    await expect(notice).toBeVisible({ timeout: 30_000 });
    expect(await page.contents.fileExists(`${tmpPath}/requirements.txt`)).toBe(true);
    expect(await page.contents.fileExists(`${tmpPath}/runtime.txt`)).toBe(true);

    // And the notification opens runtime.txt, which names the kernel's Python
    await page.getByRole('button', { name: 'Open runtime.txt' }).click();
    await expect(page.getByRole('main').getByRole('tab', { name: /runtime\.txt/ })).toBeVisible();
    await expect(page.locator('.jp-FileEditor .cm-content')).toContainText(/^python-3\.\d+/);
  });

  test('lists what the notebook imports, unsaved cells included', async ({ page, tmpPath }) => {
    test.setTimeout(120_000);
    // Given a notebook whose kernel runs, with a cell typed but not saved that imports yaml
    // (from PyYAML) and a module of the user's own that no package provides
    await openNotebook(page, `${tmpPath}/imports.ipynb`);
    await page.notebook.setCell(0, 'code', 'import os\nimport yaml\nimport my_helpers');

    // When the user clicks the toolbar button
    await page
      .locator('.jp-NotebookPanel-toolbar')
      .getByRole('button', { name: /Save the notebook's packages/ })
      .click();

    // Then the notification names the module left out, and requirements.txt holds PyYAML only
    await expect(
      page.getByText(/Not listed, as no package in the kernel provides them: my_helpers/)
    ).toBeVisible({ timeout: 30_000 });
    const written = await page.request.get(`/api/contents/${tmpPath}/requirements.txt?content=1`);
    expect((await written.json()).content).toMatch(/^PyYAML==\S+\n$/);
  });

  test('offers to start the kernel when none runs', async ({ page, tmpPath }) => {
    test.setTimeout(120_000);
    // Given a notebook without a kernel
    await openNotebook(page, `${tmpPath}/idle.ipynb`);
    const toolbar = page.locator('.jp-NotebookPanel-toolbar');
    await expect(toolbar.getByRole('button', { name: 'Python 3 (ipykernel)' })).toBeVisible();
    await expect(page.getByRole('button', { name: 'Python 3 (ipykernel) | Idle' })).toBeVisible({
      timeout: 30_000
    });
    await expect(async () => {
      await page.menu.clickMenuItem('Kernel>Shut Down Kernel');
      await expect(toolbar.getByRole('button', { name: 'No Kernel' })).toBeVisible({
        timeout: 3000
      });
    }).toPass({ timeout: 30_000 });

    // When the user saves the requirements from the command palette
    await page.keyboard.press('Control+Shift+C');
    const palette = page.getByRole('region', { name: 'Command Palette Section' });
    await palette.getByRole('textbox', { name: 'SEARCH' }).fill('Save requirements');
    await palette
      .getByRole('menuitem', { name: /Save requirements\.txt and runtime\.txt/ })
      .click();

    // Then it offers to start the kernel, and saves once it runs
    const dialog = page.getByRole('dialog');
    await expect(dialog.getByText(/No kernel runs for idle\.ipynb/)).toBeVisible();
    await dialog.getByRole('button', { name: 'Start kernel' }).click();
    await expect(page.getByText('Saved requirements.txt and runtime.txt.')).toBeVisible({
      timeout: 60_000
    });
    expect(await page.contents.fileExists(`${tmpPath}/runtime.txt`)).toBe(true);
  });

  test('asks before replacing a requirements.txt with other content', async ({
    page,
    tmpPath,
    consoleErrors
  }) => {
    test.setTimeout(120_000);
    consoleErrors.expect(
      /status of 409 .*\/requirements\)$/,
      'the server refuses to replace a file with other content until the user chooses to'
    );
    // Given a running notebook with a hand-written requirements.txt next to it
    await page.contents.uploadContent('numpy==1.0\n', 'text', `${tmpPath}/requirements.txt`);
    await openNotebook(page, `${tmpPath}/pinned.ipynb`);
    await page.notebook.setCell(0, 'code', '1 + 1');
    await page.notebook.runCell(0);

    // When the user saves the requirements
    await page
      .locator('.jp-NotebookPanel-toolbar')
      .getByRole('button', { name: /Save the notebook's packages/ })
      .click();

    // Then they are asked first, and the file is replaced only after "Overwrite"
    const dialog = page.getByRole('dialog');
    await expect(dialog.getByText(/already has a requirements\.txt or runtime\.txt/)).toBeVisible({
      timeout: 30_000
    });
    expect(await page.contents.fileExists(`${tmpPath}/runtime.txt`)).toBe(false);
    await dialog.getByRole('button', { name: 'Overwrite' }).click();
    await expect(page.getByText('Saved requirements.txt and runtime.txt.')).toBeVisible({
      timeout: 30_000
    });
    const written = await page.request.get(`/api/contents/${tmpPath}/requirements.txt?content=1`);
    expect((await written.json()).content).not.toBe('numpy==1.0\n');
  });
});
