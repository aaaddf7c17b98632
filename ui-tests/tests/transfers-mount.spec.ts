import { expect, IJupyterLabPageFixture, test } from './helpers/test';

import { API, OPENBIS, sandboxState } from './helpers/transfers';

/** Run a command from the command palette by its label. */
async function runFromPalette(page: IJupyterLabPageFixture, label: string): Promise<void> {
  await page.keyboard.press('Control+Shift+C');
  const palette = page.getByRole('region', { name: 'Command Palette Section' });
  await palette.getByRole('textbox', { name: 'SEARCH' }).fill(label);
  await palette.getByRole('menuitem', { name: new RegExp(`^${label}`) }).click();
}

/** Pick the sandbox openBIS in the connection chooser. */
async function chooseOpenbis(page: IJupyterLabPageFixture): Promise<void> {
  const dialog = page.getByRole('dialog');
  await dialog.getByRole('combobox').selectOption(OPENBIS);
  await dialog.getByRole('button', { name: 'OK' }).click();
}

test.describe('Mount', () => {
  test.afterEach(async ({ page }) => {
    await page.request.delete(`${API}/openbis/connections/${OPENBIS}/mount`);
  });

  test('mounts the data store, shows it in the file browser, and unmounts it', async ({ page }) => {
    test.setTimeout(120_000);
    // The demo's SFTP sandbox listens on a free port, not the server's default one.
    const port = sandboxState().sftp.port;
    await page.route('**/openbis/connections/*/mount*', route =>
      route.request().method() === 'POST'
        ? route.continue({ postData: JSON.stringify({ port }) })
        : route.continue()
    );

    // When the user mounts the openBIS data store from the palette
    await runFromPalette(page, 'Mount openBIS Data Store…');
    await chooseOpenbis(page);

    // Then the file browser shows the mounted folder, and the connection says it is mounted
    await expect(page.getByText(/The data store of openbis is mounted at/)).toBeVisible({
      timeout: 30_000
    });
    const mountpoint = (
      await (await page.request.get(`${API}/openbis/connections/${OPENBIS}/mount`)).json()
    ).mountpoint;
    expect(mountpoint).toBeTruthy();
    await expect.poll(() => page.filebrowser.getCurrentDirectory()).toBe(mountpoint);

    // When the user unmounts it
    await runFromPalette(page, 'Unmount openBIS Data Store…');
    await chooseOpenbis(page);

    // Then the mount and its folder are gone
    await expect
      .poll(async () =>
        (await page.request.get(`${API}/openbis/connections/${OPENBIS}/mount`)).json()
      )
      .toMatchObject({ isMounted: false });
    expect(await page.contents.directoryExists(mountpoint)).toBe(false);
  });
});
