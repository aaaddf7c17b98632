import { expect, test } from './helpers/test';

test.describe('Commands that cannot act', () => {
  test('are greyed in the palette with the reason, and say it as a toast if run anyway', async ({
    page
  }) => {
    // Given nothing selected in the file browser and no specification open
    await page.keyboard.press('Control+Shift+C');
    const palette = page.getByRole('region', { name: 'Command Palette Section' });
    const search = palette.getByRole('textbox', { name: 'SEARCH' });

    // Then "Upload to openBIS…" is disabled and says why
    await search.fill('Upload to openBIS');
    const upload = palette.getByRole('menuitem', { name: /Upload to openBIS/ });
    await expect(upload).toHaveAttribute('aria-disabled', 'true');
    await expect(upload).toHaveAttribute(
      'title',
      'Select files or folders in the file browser first'
    );

    // and so is "Run on REANA…"
    await search.fill('Run on REANA');
    const run = palette.getByRole('menuitem', { name: /Run on REANA/ });
    await expect(run).toHaveAttribute('aria-disabled', 'true');
    await expect(run).toHaveAttribute(
      'title',
      'Open or select a REANA specification (a .yaml file) first'
    );
    await page.keyboard.press('Escape');

    // When a script runs the upload anyway, the reason shows as a toast, not only in the bell
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
