import { expect, IJupyterLabPageFixture, test } from './helpers/test';
import { join } from 'path';

import { OpenbisSection } from './helpers/OpenbisSection';

/** "Raw measurement 1" of the sandbox, on the object /LAB/MICROSCOPY/CULTURE_1's side. */
const RAW_1 = '20240102010000000-15';
const SCREENSHOTS_DIR = join(__dirname, '..', '..', 'docs', 'screenshots');

/**
 * The README's screenshot (1440x900) with DOCS_SCREENSHOTS set; with LOOK_DIR set, the same
 * screen at 1024x700 too, into that folder, for a look at the small window.
 */
async function shoot(page: IJupyterLabPageFixture, name: string, dark: boolean): Promise<void> {
  const file = `${name}-${dark ? 'dark' : 'light'}.png`;
  if (process.env.DOCS_SCREENSHOTS) {
    await page.screenshot({ path: join(SCREENSHOTS_DIR, file) });
  }
  if (process.env.LOOK_DIR) {
    await page.setViewportSize({ width: 1024, height: 700 });
    await page.screenshot({ path: join(process.env.LOOK_DIR, `small-${file}`) });
    await page.setViewportSize({ width: 1440, height: 900 });
  }
}

test.describe('The provenance loop', () => {
  test.setTimeout(240_000);

  for (const dark of [false, true]) {
    test(`ticked search results open the run dialog with them as inputs (${dark ? 'dark' : 'light'})`, async ({
      page
    }) => {
      await page.setViewportSize({ width: 1440, height: 900 });
      if (dark) {
        await page.theme.setDarkTheme();
      }
      // Given a search of the openBIS panel
      const openbis = new OpenbisSection(page);
      await openbis.open();
      await openbis.searchBox.fill('Raw measurement');
      const results = openbis.searchResults;
      await expect(results.getByRole('checkbox', { name: 'Tick Raw measurement 5' })).toBeVisible();
      // When the user ticks two of its results
      await results.getByRole('checkbox', { name: 'Tick Raw measurement 1' }).check();
      await results.getByRole('checkbox', { name: 'Tick Raw measurement 5' }).check();
      const ticked = openbis.sidebar.panel.getByRole('group', { name: 'Ticked datasets' });
      await expect(ticked).toContainText('2 ticked');
      await shoot(page, 'loop-search-ticked', dark);
      // And uses them as the inputs of the demo analysis
      await ticked.getByRole('button', { name: 'Use as REANA input…' }).click();
      const ask = page.getByRole('dialog');
      await expect(ask).toContainText('Raw measurement 1, Raw measurement 5');
      await ask.getByRole('textbox').fill('analysis/reana.yaml');
      await ask.getByRole('button', { name: 'Continue' }).click();
      // Then the run dialog has both, each in a folder of its own
      const dialog = page.locator('.jp-Dialog').filter({ hasText: 'openBIS inputs' });
      for (const name of ['Raw measurement 1', 'Raw measurement 5']) {
        await expect(
          dialog.getByRole('textbox', { name: `Workspace folder of ${name}` })
        ).toHaveAttribute('placeholder', `inputs/${name}`);
      }
      await dialog.getByRole('button', { name: 'Cancel' }).click();
      await expect(dialog).toHaveCount(0);
      // And clearing the search takes the ticks away with it
      await openbis.searchBox.fill('');
      await expect(ticked).toHaveCount(0);
    });
  }

  for (const dark of [false, true]) {
    test(`an openBIS dataset goes into a REANA run, whose result comes back with its lineage (${dark ? 'dark' : 'light'})`, async ({
      page
    }) => {
      await page.setViewportSize({ width: 1440, height: 900 });
      if (dark) {
        await page.theme.setDarkTheme();
      }
      // Given a dataset's view
      const openbis = new OpenbisSection(page);
      await openbis.open();
      await openbis.openDataset('openbis', RAW_1);
      const view = openbis.datasetView('Raw measurement 1');
      await expect(view.getByRole('group', { name: `Lineage of ${RAW_1}` })).toBeVisible();

      // When the user uses it as the input of the demo analysis
      await view.getByRole('button', { name: 'Use as REANA input…' }).click();
      const ask = page.getByRole('dialog');
      await ask.getByRole('textbox').fill('analysis/reana.yaml');
      await ask.getByRole('button', { name: 'Continue' }).click();
      const dialog = page.locator('.jp-Dialog').filter({ hasText: 'openBIS inputs' });
      await expect(dialog.getByRole('status')).toHaveText('The specification is valid.', {
        timeout: 30_000
      });
      await expect(dialog.getByRole('group', { name: 'openBIS inputs' })).toContainText(
        'Raw measurement 1'
      );
      await expect(dialog.getByRole('textbox', { name: /Workspace folder of/ })).toHaveAttribute(
        'placeholder',
        'inputs/Raw measurement 1'
      );
      // And adds a second one by searching openBIS, with the keyboard only: Enter picks the
      // highlighted match and does not run the dialog
      const search = dialog.getByRole('combobox', { name: 'Search openBIS datasets to add' });
      await search.fill('Raw measurement 5');
      const matches = dialog.getByRole('listbox');
      await expect(matches.getByRole('option').first()).toContainText('Raw measurement 5');
      await expect(matches.getByRole('option').first()).toContainText('RAW_DATA');
      await shoot(page, 'loop-run-dialog-search', dark);
      await search.press('Enter');
      await expect(matches).toHaveCount(0);
      await expect(search).toHaveValue('');
      await expect(search).toBeFocused();
      await expect(
        dialog.getByRole('textbox', { name: 'Workspace folder of Raw measurement 5' })
      ).toHaveAttribute('placeholder', 'inputs/Raw measurement 5');
      await dialog.locator('input[name="workflowName"]').fill(dark ? 'loopdark' : 'loop');
      await shoot(page, 'loop-run-dialog', dark);
      await dialog.getByRole('button', { name: 'Run' }).click();

      // Then the run's view opens, the run finishes, and it names its openBIS input
      const run = page.locator('.jp-ReanaOpenbis-workflowView:visible');
      await expect(run).toBeVisible({ timeout: 60_000 });
      await expect(run.locator('.jp-ReanaOpenbis-viewHeader')).toContainText('finished', {
        timeout: 90_000
      });
      await expect(run.locator('.jp-ReanaOpenbis-runProvenance')).toContainText(
        'Raw measurement 1'
      );
      await expect(run.locator('.jp-ReanaOpenbis-runProvenance')).toContainText(
        'Raw measurement 5'
      );

      // When the user publishes it: the dialog comes filled in from the run
      await run.getByRole('button', { name: 'Publish to openBIS…' }).click();
      const publish = page.locator('.jp-Dialog').filter({ hasText: 'Publish to openBIS' });
      const output = publish.getByRole('checkbox', { name: 'results/greetings.txt' });
      await expect(output).toBeChecked();
      // The selection is the user's: the script joins the declared output, found by its path
      const files = publish.getByRole('combobox', { name: 'Search the workspace for files to add' });
      await files.fill('greet.py');
      await expect(publish.getByRole('option').first()).toContainText('code/greet.py');
      await files.press('Enter');
      await expect(publish.getByRole('checkbox', { name: 'code/greet.py' })).toBeChecked();
      await expect(publish.getByRole('checkbox', { name: new RegExp(RAW_1) })).toBeChecked();
      await publish.getByLabel('Dataset type').selectOption('ANALYZED_DATA');
      await publish.getByLabel('Name').fill(`Greetings ${dark ? 'dark' : 'light'}`);
      await expect(publish).toContainText('A summary of the run');
      await shoot(page, 'loop-publish-dialog', dark);
      await publish.getByRole('button', { name: 'Publish' }).click();
      await expect(publish).toHaveCount(0);

      // Then the run view lists the new dataset, which opens with the run in its lineage
      const published = run.locator('.jp-ReanaOpenbis-runProvenance').getByRole('button', {
        name: `Greetings ${dark ? 'dark' : 'light'}`
      });
      await expect(published).toBeVisible({ timeout: 60_000 });
      await shoot(page, 'loop-run-view', dark);
      await published.click();
      const result = page.locator('.jp-ReanaOpenbis-datasetPanel').filter({
        has: page.getByRole('heading', { level: 1, name: `Greetings ${dark ? 'dark' : 'light'}` })
      });
      const picture = result.getByRole('group', { name: /^Lineage of / });
      await expect(
        picture.getByRole('button', { name: /REANA run (loop|loopdark)\.\d+/ })
      ).toBeVisible({
        timeout: 30_000
      });
      await expect(
        picture.getByRole('button', { name: 'Open dataset Raw measurement 1' })
      ).toBeVisible();
      await picture.scrollIntoViewIfNeeded();
      await shoot(page, 'loop-lineage', dark);

      // And a click on the run node opens the run's view
      await picture.getByRole('button', { name: /REANA run/ }).click();
      await expect(
        page.locator('.jp-ReanaOpenbis-workflowView:visible .jp-ReanaOpenbis-viewHeader')
      ).toContainText(new RegExp(`${dark ? 'loopdark' : 'loop'}\\.\\d+`));
    });
  }
});
