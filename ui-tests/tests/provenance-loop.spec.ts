import { expect, IJupyterLabPageFixture, test } from './helpers/test';
import { join } from 'path';

import { OpenbisSection } from './helpers/OpenbisSection';

/** "Raw measurement 1" of the sandbox, on the object /LAB/MICROSCOPY/CULTURE_1's side. */
const RAW_1 = '20240102010000000-15';
const SCREENSHOTS_DIR = join(__dirname, '..', '..', 'docs', 'screenshots');

async function shoot(page: IJupyterLabPageFixture, name: string, dark: boolean): Promise<void> {
  if (process.env.DOCS_SCREENSHOTS) {
    await page.screenshot({
      path: join(SCREENSHOTS_DIR, `${name}-${dark ? 'dark' : 'light'}.png`)
    });
  }
}

test.describe('The provenance loop', () => {
  test.setTimeout(240_000);

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

      // When the user publishes it: the dialog comes filled in from the run
      await run.getByRole('button', { name: 'Publish to openBIS…' }).click();
      const publish = page.locator('.jp-Dialog').filter({ hasText: 'Publish to openBIS' });
      await expect(publish).toContainText('results/greetings.txt');
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
