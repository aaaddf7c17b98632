import { expect, test } from '@jupyterlab/galata';

import { Reana, sandboxReana } from './helpers/Reana';

test.describe('REANA connections and runs', () => {
  test('lists the runs of the preset', async ({ page }) => {
    const reana = new Reana(page);
    await reana.open();
    await expect(reana.connection('default')).toContainText('alice@example.org');
    await expect(reana.run('demo-finished.1')).toContainText('finished');
    await page.screenshot({ path: 'test-results/scratch-list.png' });
    void sandboxReana;
  });
});
