import { IJupyterLabPageFixture } from '@jupyterlab/galata';
import { expect, Locator } from '@playwright/test';

import { sandboxReana } from './Reana';
import { API, sandboxState } from './transfers';

/** The sandbox's credentials (README, "make demo"). */
const ALICE = { username: 'alice', password: 'sandbox-alice-password' };

/** A run name of 24 characters with its run number (`…-22.N`), to check nothing cuts it. */
export const LONG_RUN_NAME = 'cms-reco-calibration-a';

/**
 * The setup: three openBIS connections (the preset and two added, logged in as
 * alice) and two REANA connections (the preset and one added), all on the sandboxes.
 */
export async function addConnections(page: IJupyterLabPageFixture): Promise<void> {
  const openbisUrl = sandboxState().openbis.url;
  for (const name of ['openbis-archive-2019', 'openbis-staging']) {
    const added = await page.request.post(`${API}/openbis/connections`, {
      data: { name, url: openbisUrl, username: ALICE.username, auth: 'password' }
    });
    expect([201, 409]).toContain(added.status());
    const login = await page.request.post(`${API}/openbis/connections/${name}/login`, {
      data: { password: ALICE.password }
    });
    expect(login.ok()).toBe(true);
  }
  const reana = sandboxReana();
  const added = await page.request.post(`${API}/reana/connections`, {
    data: { name: 'reana-second', url: reana.url, accessToken: reana.token }
  });
  expect([201, 409]).toContain(added.status());
}

/** Remove what `addConnections` added. */
export async function removeConnections(page: IJupyterLabPageFixture): Promise<void> {
  for (const name of ['openbis-archive-2019', 'openbis-staging']) {
    await page.request.delete(`${API}/openbis/connections/${name}`);
  }
  await page.request.delete(`${API}/reana/connections/reana-second`);
}

/**
 * At least `count` runs on the sandbox REANA, the added ones named `LONG_RUN_NAME`, created
 * through REANA's own API as reana-client would.
 */
export async function ensureRuns(page: IJupyterLabPageFixture, count: number): Promise<void> {
  const reana = sandboxReana();
  const token = encodeURIComponent(reana.token);
  const listed = await page.request.get(`${reana.url}/api/workflows?access_token=${token}&size=1`);
  const total: number = (await listed.json()).total;
  for (let i = total; i < count; i++) {
    const created = await page.request.post(
      `${reana.url}/api/workflows?workflow_name=${LONG_RUN_NAME}&access_token=${token}`,
      {
        // The body is the specification itself, as reana-client sends it.
        data: { version: '0.9.0', workflow: { type: 'serial', specification: { steps: [] } } }
      }
    );
    expect(created.status()).toBe(201);
  }
}

/**
 * How many of the list's items (`selector`) are entirely in sight inside the scrolling
 * `list`, and how many are loaded; and which labels (`labelSelector`) in sight are cut
 * (their text is wider than their box) although they have 24 characters or fewer.
 */
export async function inSight(
  list: Locator,
  selector: string,
  labelSelector: string
): Promise<{ visible: number; loaded: number; cutShort: string[] }> {
  return list.evaluate(
    (element, [items, labels]) => {
      const box = element.getBoundingClientRect();
      const all = Array.from(element.querySelectorAll<HTMLElement>(items));
      const shown = all.filter(item => {
        const b = item.getBoundingClientRect();
        return b.height > 0 && b.top >= box.top - 0.5 && b.bottom <= box.bottom + 0.5;
      });
      const cutShort = shown
        .map(item => item.querySelector<HTMLElement>(labels))
        .filter((label): label is HTMLElement => !!label)
        .filter(label => label.scrollWidth > label.clientWidth + 1)
        .map(label => label.textContent ?? '')
        .filter(text => text.length <= 24);
      return { visible: shown.length, loaded: all.length, cutShort };
    },
    [selector, labelSelector]
  );
}
