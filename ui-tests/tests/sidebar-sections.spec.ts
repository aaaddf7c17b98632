import { expect, test } from './helpers/test';

import { Reana } from './helpers/Reana';

test.describe('Side panel sections', () => {
  test('a collapsed section stays collapsed through refreshes and a reload', async ({ page }) => {
    const reana = new Reana(page);
    await reana.open();
    const title = reana.sidebar.sectionTitle('REANA');
    await expect(title).toHaveAttribute('aria-expanded', 'true');

    // When the user collapses the REANA section
    await title.click();
    await expect(title).toHaveAttribute('aria-expanded', 'false');
    await expect(reana.section).toBeHidden();

    // Then a refresh of the connections leaves it collapsed
    const listed = page.waitForResponse(/reana-openbis-lab\/reana\/connections/);
    await reana.sidebar.refresh();
    await listed;
    await expect(title).toHaveAttribute('aria-expanded', 'false');
    await expect(reana.section).toBeHidden();

    // And after a reload (the layout restored), title and content agree
    await page.reload();
    if (!(await reana.sidebar.panel.isVisible())) {
      await reana.sidebar.openFromTab();
    }
    await reana.sidebar.connectionList('openBIS').waitFor();
    if ((await title.getAttribute('aria-expanded')) === 'false') {
      await expect(reana.section).toBeHidden();
    } else {
      await expect(reana.section).toBeVisible();
      await title.click();
    }

    // And it opens again as usual
    await title.click();
    await expect(reana.section).toBeVisible();
  });
});
