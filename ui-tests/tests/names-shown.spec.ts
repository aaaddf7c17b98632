import { expect, hiddenCharactersOnScreen, IJupyterLabPageFixture, test } from './helpers/test';

import { OpenbisSection } from './helpers/OpenbisSection';
import { API, OPENBIS, TransfersSection, waitForJob } from './helpers/transfers';

/** Shows as "live.txt" where a right-to-left override is honoured. */
const EVIL = '\u202eevil\u202c.txt';
const EVIL_SHOWN = '⟨U+202E⟩evil⟨U+202C⟩.txt';
const DERIVED = '\u2067derived\u2069 \u202eevil';
const DERIVED_SHOWN = '⟨U+2067⟩derived⟨U+2069⟩ ⟨U+202E⟩evil';
const NAME = 'Bidi \u202eevil\u202c result';
const NAME_SHOWN = 'Bidi ⟨U+202E⟩evil⟨U+202C⟩ result';

async function expectNamesAsTheyAre(page: IJupyterLabPageFixture): Promise<void> {
  expect(await hiddenCharactersOnScreen(page)).toEqual([]);
}

test.describe('What a name shows is what it is', () => {
  test('an openBIS dataset named with a right-to-left override, everywhere it shows', async ({
    page,
    tmpPath
  }) => {
    test.setTimeout(120_000);
    // Given another user's dataset with such a name and file, registered in the sandbox
    await page.contents.uploadContent('not what it seems\n', 'text', `${tmpPath}/${EVIL}`);
    const upload = await page.request.post(`${API}/openbis/uploads`, {
      data: {
        connection: OPENBIS,
        paths: [`${tmpPath}/${EVIL}`],
        datasetType: 'ANALYZED_DATA',
        target: { kind: 'object', id: '/LAB_A/MICROSCOPY/CULTURE_1' },
        properties: { $NAME: NAME }
      }
    });
    expect(upload.status()).toBe(202);
    const registered = await waitForJob(page, (await upload.json()).id);
    const permId = String(registered.result?.permId);

    // Then the tree shows the name as it is
    const openbis = new OpenbisSection(page);
    await openbis.open();
    await openbis.expandPath('LAB_A', 'MICROSCOPY', 'IMAGING_2024, Imaging 2024');
    await openbis.expandPath('CULTURE_1, HeLa culture');
    await expect(openbis.treeItem(NAME_SHOWN, { exact: true }).first()).toBeVisible();
    await expectNamesAsTheyAre(page);

    // and so do the search results
    await openbis.searchBox.fill('Bidi');
    await expect(openbis.searchResults).toContainText(NAME_SHOWN);
    await expectNamesAsTheyAre(page);
    await openbis.searchBox.fill('');

    // and the dataset's view: its name, its tab and its file, the one a user would tick
    await openbis.openDataset(OPENBIS, permId);
    const view = openbis.datasetView(NAME_SHOWN);
    await expect(view.getByRole('list', { name: `Files of ${NAME_SHOWN}` })).toContainText(
      EVIL_SHOWN
    );
    await expect(page.getByRole('tab', { name: NAME_SHOWN })).toBeVisible();
    await expectNamesAsTheyAre(page);

    // When it is downloaded, Transfers names it as it is
    await page.sidebar.openTab('filebrowser');
    await page.filebrowser.openDirectory(tmpPath);
    await openbis.sidebar.openFromTab();
    await view.getByRole('button', { name: 'Download', exact: true }).click();
    const transfers = new TransfersSection(page);
    await transfers.open();
    await expect(transfers.row(permId)).toContainText('Done');
    await expect(transfers.row(permId)).toHaveAccessibleName(
      `Download ANALYZED_DATA · ${NAME_SHOWN}, ${permId}`
    );
    await expectNamesAsTheyAre(page);

    // and results computed next to it, in a folder whose name hides its order too, propose
    // the dataset as a parent: both shown as they are
    await page.contents.uploadContent('mean,1\n', 'text', `${tmpPath}/${DERIVED}/summary.csv`);
    await page.sidebar.openTab('filebrowser');
    await page.filebrowser.refresh();
    await page.getByRole('listitem', { name: /derived/ }).first().click({ button: 'right' });
    await page.getByRole('menuitem', { name: 'Upload to openBIS…' }).click();
    const dialog = page.getByRole('dialog');
    await expect(dialog).toContainText(`A new dataset with ${DERIVED_SHOWN}`);
    await expect(dialog.locator('.jp-ReanaOpenbis-uploadParents')).toContainText(
      `${NAME_SHOWN} (ANALYZED_DATA)`
    );
    await expectNamesAsTheyAre(page);
    await dialog.getByRole('button', { name: 'Cancel', exact: true }).last().click();
  });
});

/** Colours in a step's log, two outputs of one name in different folders. */
const COLOURED = `version: 0.9.0
workflow:
  type: serial
  specification:
    steps:
      - name: colours
        environment: docker.io/library/python:3.11-slim
        commands:
          - "printf '\\e[31mred alert\\e[0m and \\e[1;32mbold green\\e[0m'"
outputs:
  files:
    - results/greetings.txt
    - other/greetings.txt
`;

test.describe('REANA logs and outputs', () => {
  test('colours show as colours, outputs keep their folders, a second download asks', async ({
    page,
    tmpPath,
    consoleErrors
  }) => {
    test.setTimeout(150_000);
    consoleErrors.expect(
      /status of 409 .*\/workspace\/download\)$/,
      'the second download is refused (target_exists) until the user chooses'
    );
    // Given a run whose step writes terminal colours
    await page.contents.uploadContent(COLOURED, 'text', `${tmpPath}/reana.yaml`);
    await page.filebrowser.openDirectory(tmpPath);
    await page.getByRole('listitem', { name: /^Name: reana\.yaml/ }).click({ button: 'right' });
    await page.getByRole('menuitem', { name: 'Run on REANA…' }).click();
    const dialog = page.locator('.jp-Dialog');
    await expect(dialog.getByRole('status')).toContainText('valid');
    await dialog.locator('input[name="workflowName"]').fill('colours');
    await dialog.getByRole('button', { name: 'Run' }).click();

    // When it finished and the user opens the step's log
    const toast = page
      .locator('.Toastify__toast')
      .filter({ hasText: /REANA run colours\.\d+ finished/ });
    await expect(toast).toBeVisible({ timeout: 60_000 });
    const run = ((await toast.textContent()) ?? '').match(/colours\.\d+/)?.[0] ?? '';
    const view = page.locator('.jp-ReanaOpenbis-workflowView').filter({ hasText: run });
    await view.getByRole('tab', { name: 'Logs' }).click();
    await view.getByRole('button', { name: /colours/ }).click();
    const log = view.getByRole('log', { name: 'Log of job colours' });

    // Then the colours show as colours, and no escape code shows
    const red = log.locator('.jp-ReanaOpenbis-ansi-fg-red');
    await expect(red).toHaveText('red alert');
    // (in the theme's error colour, not only marked: the stylesheet must reach the page)
    const shown = await red.evaluate(element => getComputedStyle(element).color);
    const text = await log.evaluate(element => getComputedStyle(element).color);
    expect(shown).not.toBe(text);
    await expect(
      log.locator('.jp-ReanaOpenbis-ansi-fg-green.jp-ReanaOpenbis-ansi-bold')
    ).toHaveText('bold green');
    await expect(log).not.toContainText('[31m');

    // When the user downloads the outputs from the notification
    await toast.getByRole('button', { name: 'Download outputs' }).click();

    // Then both land under their workspace paths, side by side
    await expect
      .poll(() => page.contents.fileExists(`${tmpPath}/other/greetings.txt`), { timeout: 20_000 })
      .toBe(true);
    expect(await page.contents.fileExists(`${tmpPath}/results/greetings.txt`)).toBe(true);

    // When one of them is downloaded again into the same folder
    await view.getByRole('tab', { name: 'Workspace' }).click();
    await view.getByRole('checkbox', { name: 'Select results/greetings.txt' }).check();
    await view.getByRole('button', { name: 'Download selected (1)' }).click();

    // Then the user is asked in place, and "Keep both" keeps both
    const question = page.locator('.jp-Dialog');
    await expect(question).toContainText(`Replace files of ${run}?`);
    await expect(question).toContainText("'results/greetings.txt' exists already");
    await question.getByRole('button', { name: 'Keep both' }).click();
    await expect
      .poll(() => page.contents.fileExists(`${tmpPath}/results/greetings (1).txt`), {
        timeout: 20_000
      })
      .toBe(true);
  });
});
