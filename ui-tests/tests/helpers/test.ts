/**
 * Galata's `test` with one addition every spec inherits: a test fails when the page logs an
 * error it did not announce. A red line in the browser console is something a user's
 * browser shows too (a refused request, a broken `pattern`, an uncaught exception), so it
 * is either a defect or an answer the test provoked on purpose and says so:
 *
 *     consoleErrors.expect(/status of 409/, 'the second download is refused, then replaced');
 *
 * Specs import `test` and `expect` from here, never from '@jupyterlab/galata' (lint says so).
 */
import { expect, test as galataTest } from '@jupyterlab/galata';
import { BrowserContext, ConsoleMessage, Page } from '@playwright/test';

export { expect, galata } from '@jupyterlab/galata';
export type { IJupyterLabPageFixture } from '@jupyterlab/galata';

/** A console error a test provokes on purpose, and why. */
interface IExpectedError {
  readonly pattern: RegExp;
  readonly reason: string;
}

/**
 * Console errors of JupyterLab itself that every session logs and no extension can avoid.
 * Each entry says why it is not ours to fix. Keep this list short.
 */
const ALWAYS_EXPECTED: readonly IExpectedError[] = [];

/** What a test can say about the console errors it provokes. */
export interface IConsoleErrors {
  /** Allow errors matching `pattern` for the rest of this test; `reason` says why they happen. */
  expect(pattern: RegExp, reason: string): void;
  /** The unexpected errors so far (the test fails at its end when there is any). */
  readonly unexpected: readonly string[];
}

class ConsoleErrors implements IConsoleErrors {
  constructor(context: BrowserContext) {
    context.on('console', message => this.#onConsole(message));
    context.on('weberror', error =>
      this.#record(`uncaught: ${error.error().stack ?? error.error()}`)
    );
  }

  expect(pattern: RegExp, reason: string): void {
    if (!reason.trim()) {
      throw new Error('An expected console error needs its reason');
    }
    this.#expected.push({ pattern, reason });
  }

  get unexpected(): readonly string[] {
    return this.#unexpected;
  }

  #onConsole(message: ConsoleMessage): void {
    if (message.type() !== 'error') {
      return;
    }
    // "Failed to load resource" names no URL in its text; the location has it.
    const url = message.location().url;
    this.#record(url ? `${message.text()} (${url})` : message.text());
  }

  #record(text: string): void {
    const expected = [...ALWAYS_EXPECTED, ...this.#expected];
    if (!expected.some(e => e.pattern.test(text))) {
      this.#unexpected.push(text);
    }
  }

  readonly #expected: IExpectedError[] = [];
  readonly #unexpected: string[] = [];
}

/**
 * Text on screen that holds a character that hides or reorders what is around it (a
 * right-to-left override, a zero-width space, a control character): `where: text` for each.
 * A name from openBIS, REANA or the disk must show as it is (`⟨U+202E⟩`, src/components/
 * names.ts). JupyterLab's own file browser and editors are left out: they are not ours, and
 * editors mark such characters themselves.
 */
export async function hiddenCharactersOnScreen(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const hidden =
      /(?![\t\n\r])[\p{Cc}\u061c\u200b\u200e\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/u;
    const notOurs = '.jp-DirListing, .jp-BreadCrumbs, .cm-editor, .jp-OutputArea, script, style';
    const found: string[] = [];
    const describe = (element: Element) =>
      `${element.tagName.toLowerCase()}${element.className ? `.${String(element.className).split(' ')[0]}` : ''}`;
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const element = node instanceof Element ? node : node.parentElement;
      if (!element || element.closest(notOurs)) {
        continue;
      }
      if (node instanceof Element) {
        for (const attribute of ['title', 'aria-label', 'placeholder', 'alt']) {
          const value = node.getAttribute(attribute);
          if (value && hidden.test(value)) {
            found.push(`${describe(node)}[${attribute}]: ${JSON.stringify(value)}`);
          }
        }
      } else if (node.textContent && hidden.test(node.textContent)) {
        found.push(`${describe(element)}: ${JSON.stringify(node.textContent)}`);
      }
    }
    return found;
  });
}

export const test = galataTest.extend<{
  consoleErrors: IConsoleErrors;
  consoleErrorsChecked: void;
  namesShown: void;
}>({
  // On the browser context (not the page) and automatic, so errors logged while Galata's
  // `page` fixture loads JupyterLab count too.
  consoleErrors: [
    async ({ context }, use) => {
      await use(new ConsoleErrors(context));
    },
    { auto: true }
  ],
  // Checked when the test's own steps end, before the page closes: Galata then deletes the
  // test's folder while the file browser may still poll it, a 404 no test provokes.
  consoleErrorsChecked: [
    async ({ page, consoleErrors }, use) => {
      void page;
      await use();
      expect(consoleErrors.unexpected, 'errors in the browser console').toEqual([]);
    },
    { auto: true }
  ],
  // What the page shows at the end of every test: no name that hides what it is.
  namesShown: [
    async ({ page }, use) => {
      await use();
      if (!page.isClosed()) {
        expect(await hiddenCharactersOnScreen(page), 'names shown as they are not').toEqual([]);
      }
    },
    { auto: true }
  ]
});
