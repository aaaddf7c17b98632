import { expect, test } from './helpers/test';

test.describe('Commands that cannot act', () => {
  test('are greyed in the palette with the reason, and say it as a toast if run anyway', async ({
    page,
    tmpPath
  }) => {
    // Given nothing selected in the file browser and no specification open
    await page.keyboard.press('Control+Shift+C');
    const palette = page.getByRole('region', { name: 'Command Palette Section' });
    const search = palette.getByRole('textbox', { name: 'SEARCH' });
    const entry = (command: string) => palette.locator(`[data-command="${command}"]`);

    // Then "Upload to openBIS…" is disabled and says why, where the user looks for it
    await search.fill('Upload to');
    const upload = entry('reana-openbis-lab:openbis-upload');
    await expect(upload).toHaveClass(/lm-mod-disabled/);
    await expect(upload).toContainText('Upload to openBIS…');
    await expect(upload).toContainText('Select files or folders in the file browser first');

    // and so is "Run on REANA…"
    await search.fill('Run on REANA');
    const run = entry('reana-openbis-lab:reana-run');
    await expect(run).toHaveClass(/lm-mod-disabled/);
    await expect(run).toContainText('Open or select a REANA specification (a .yaml file) first');
    await page.keyboard.press('Escape');

    // When a file is selected, the upload is offered
    await page.contents.uploadContent('a,b\n', 'text', `${tmpPath}/command-reasons.csv`);
    await page.sidebar.openTab('filebrowser');
    await page.filebrowser.openDirectory(tmpPath);
    await page.getByRole('listitem', { name: /^Name: command-reasons\.csv/ }).click();
    await page.keyboard.press('Control+Shift+C');
    await search.fill('Upload to');
    await expect(upload).not.toHaveClass(/lm-mod-disabled/);
    await expect(upload).toContainText('Upload the selected files and folders');
    await page.keyboard.press('Escape');

    // When a script runs the upload anyway without paths, the reason shows as a toast
    await page.evaluate(() =>
      window.jupyterapp.commands.execute('reana-openbis-lab:openbis-upload', { paths: [] })
    );
    await expect(
      page
        .locator('.Toastify__toast')
        .filter({ hasText: 'Select files or folders in the file browser to upload.' })
    ).toBeVisible();
  });
});
