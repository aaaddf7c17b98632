import { expect, test } from './helpers/test';
import { Route } from '@playwright/test';

import { OpenbisSection } from './helpers/OpenbisSection';

test.describe('Browsing openBIS', () => {
  test('goes down the tree to a dataset and opens its view', async ({ page }) => {
    // Given the panel on the sandbox preset
    const openbis = new OpenbisSection(page);
    await openbis.open();
    await expect(openbis.treeItem('LAB_A')).toBeVisible();

    // When the user opens space, project and collection
    await openbis.expandPath('LAB_A', 'MICROSCOPY', 'IMAGING_2024, Imaging 2024');

    // Then the collection shows its objects and datasets, with types, dates and archive marks
    const dataset = openbis.treeItem('Raw measurement 1', { exact: true });
    await expect(dataset).toContainText('RAW_DATA');
    await expect(dataset).toHaveAttribute('aria-level', '4');
    await expect(openbis.treeItem('Raw measurement 8, archived')).toContainText('archived');
    await expect(openbis.treeItem('CULTURE_1, HeLa culture')).toHaveAttribute(
      'aria-expanded',
      'false'
    );

    // When the user selects the dataset, the breadcrumb shows where it is
    await dataset.click();
    await expect(openbis.breadcrumb).toHaveText(
      /LAB_A.*MICROSCOPY.*IMAGING_2024.*Raw measurement 1/
    );

    // And Enter opens its view in the main area
    await page.keyboard.press('Enter');
    await expect(openbis.datasetView('Raw measurement 1')).toBeVisible();
  });

  test('moves through the tree with the keyboard', async ({ page }) => {
    const openbis = new OpenbisSection(page);
    await openbis.open();
    await expect(openbis.treeItem('LAB_A')).toBeVisible();

    // When the user focuses the tree and uses the arrow keys
    await openbis.tree.focus();
    await page.keyboard.press('Home');
    await page.keyboard.press('ArrowRight');
    await expect(openbis.treeItem('MICROSCOPY')).toBeVisible();
    await page.keyboard.press('ArrowDown');

    // Then the active row follows and a project is one level down
    await expect(openbis.treeItem('MICROSCOPY')).toHaveAttribute('aria-selected', 'true');
    await page.keyboard.press('ArrowLeft');
    await expect(openbis.treeItem('LAB_A')).toHaveAttribute('aria-selected', 'true');
    await page.keyboard.press('ArrowLeft');
    await expect(openbis.treeItem('LAB_A')).toHaveAttribute('aria-expanded', 'false');
  });

  test('finds a dataset by searching and opens it', async ({ page }) => {
    const openbis = new OpenbisSection(page);
    await openbis.open();

    // When the user searches for a dataset's name
    await openbis.searchBox.fill('Raw measurement 3');

    // Then openBIS finds it, with where it lives
    const result = openbis.searchResults.getByRole('button', { name: /Raw measurement 3/ });
    await expect(result).toContainText('/LAB_A/MICROSCOPY/STAINED_1');
    await expect(openbis.sidebar.panel.getByText('1 dataset found')).toBeVisible();

    // And clicking it opens its view
    await result.click();
    await expect(openbis.datasetView('Raw measurement 3')).toBeVisible();

    // When the search is cleared, the tree is back
    await openbis.searchBox.fill('');
    await expect(openbis.tree).toBeVisible();
  });

  test('pages through a level of 10,000 datasets with "Load more"', async ({ page }) => {
    // Given a collection of 10,000 datasets (answered page by page, as the server does)
    const openbis = new OpenbisSection(page);
    await page.route('**/openbis/connections/openbis/datasets?*', (route: Route) => {
      const url = new URL(route.request().url());
      if (url.searchParams.get('collection') !== '/LAB_B/SIMULATION/SWEEP_01') {
        return route.continue();
      }
      const start = Number(url.searchParams.get('start'));
      const count = Number(url.searchParams.get('count'));
      const items = Array.from({ length: Math.min(count, 10000 - start) }, (_, i) => ({
        permId: `20250101000000000-${start + i}`,
        code: `20250101000000000-${start + i}`,
        type: 'RAW_DATA',
        name: `Bench ${start + i}`,
        registrationDate: '2025-01-01T00:00:00Z',
        status: 'AVAILABLE'
      }));
      return route.fulfill({ json: { items, total: 10000, start, count } });
    });
    await openbis.open();

    // When the user opens the collection
    await openbis.expandPath('LAB_B', 'SIMULATION', 'SWEEP_01, Temperature sweep');

    // Then the first page shows, and "Load more" adds the next one
    await expect(openbis.treeItem('Bench 0', { exact: true })).toBeVisible();
    const more = openbis.tree.getByRole('button', { name: /Load more \(100 of 10,000 shown\)/ });
    await expect(more).toBeVisible();
    await more.click();
    await expect(openbis.treeItem('Bench 199', { exact: true })).toBeAttached();
    await expect(
      openbis.tree.getByRole('button', { name: /Load more \(200 of 10,000 shown\)/ })
    ).toBeVisible();
    await expect(openbis.treeItem('Bench 200', { exact: true })).toHaveCount(0);
  });
});
