import React from 'react';
import { TranslationBundle } from '@jupyterlab/translation';
import { PanelWithToolbar } from '@jupyterlab/ui-components';
import { ISignal } from '@lumino/signaling';
import { AccordionPanel, SplitLayout, Widget } from '@lumino/widgets';

import { reactBody } from './reactBody';
import { ConnectionList } from './tokens';

/** Sections up to this height (px) keep all of it when the panel is short. */
const SHORT_SECTION = 64;

/** A section with a scrolling list keeps at least this height (px) for the list to be usable. */
const LIST_SECTION = 160;

/**
 * Marks the one scrolling list of a section (the openBIS tree, the runs): it takes the
 * section's height left over by the rest and scrolls inside it, instead of the whole body.
 */
export const FILL_CLASS = 'jp-ReanaOpenbis-fill';

/** Marks a section left out because the server does not offer it; its title goes too. */
const UNAVAILABLE_CLASS = 'jp-ReanaOpenbis-unavailable';

/**
 * A section of the side panel: a React body under a title whose toolbar the accordion
 * shows in the title bar (add buttons with `section.toolbar.addItem`). A section is never
 * taller than its content, so an empty one leaves the room to the others.
 */
export function createSection(options: {
  id: string;
  label: string;
  trans: TranslationBundle;
  body: JSX.Element;
  /** Hide the section while this list is `unavailable` (a server without those routes). */
  hideWhenUnavailable?: { signal: ISignal<unknown, void>; list: () => ConnectionList<unknown> };
  /**
   * The section's share of the room left when all sections want more than the panel has
   * (lumino's stretch factor; 1 if not given): the sections with long lists get more.
   */
  share?: number;
}): PanelWithToolbar {
  const section = new PanelWithToolbar();
  SplitLayout.setStretch(section, options.share ?? 1);
  section.id = options.id;
  section.title.label = options.label;
  section.addClass('jp-ReanaOpenbis-panelSection');
  section.addWidget(
    reactBody(
      options.trans,
      <div className="jp-ReanaOpenbis-content" ref={fitToContent(section)}>
        {options.body}
      </div>,
      'jp-ReanaOpenbis-body'
    )
  );
  const unavailable = options.hideWhenUnavailable;
  if (unavailable) {
    let hidden = false;
    const update = () => {
      // Only a change matters: showing it on every refresh would open a section the user
      // (or the restored layout) collapsed, while its title still says collapsed.
      if ((unavailable.list().status === 'unavailable') === hidden) {
        return;
      }
      hidden = !hidden;
      section.toggleClass(UNAVAILABLE_CLASS, hidden);
      section.setHidden(hidden || !isExpanded(section));
    };
    unavailable.signal.connect(update, section);
    update();
  }
  return section;
}

/** The accordions whose sections the user sized by dragging a handle. */
const userSized = new WeakSet<AccordionPanel>();

/**
 * Share the accordion's room by the sections' `share`s (capped at their content), until
 * the user drags a handle: from then on only their sizes count. Without this the
 * accordion keeps the sizes of its first layout, when the lists had not loaded yet.
 */
export function followShares(accordion: AccordionPanel): void {
  accordion.handleMoved.connect(() => userSized.add(accordion));
}

function shareRoom(accordion: Widget | null): void {
  if (accordion instanceof AccordionPanel && !userSized.has(accordion)) {
    const shares = accordion.widgets.map(widget => SplitLayout.getStretch(widget));
    accordion.setRelativeSizes(shares, false);
  }
  // Fitting reads the sections' new height limits, then lays them out.
  accordion?.fit();
}

/** Whether the accordion's title of `section` says it is expanded (true outside an accordion). */
function isExpanded(section: Widget): boolean {
  const accordion = section.parent;
  if (!(accordion instanceof AccordionPanel)) {
    return true;
  }
  const title = accordion.titles[accordion.widgets.indexOf(section)];
  return title?.getAttribute('aria-expanded') !== 'false';
}

/**
 * Caps the section's height at its content's: the accordion reads `max-height` as the
 * section's largest share, and gives what is left to the sections that need it. The
 * content's height counts the full length of its scrolling list (`FILL_CLASS`), which
 * shrinks to the room there is. Returns the ref callback for the content's wrapper.
 */
function fitToContent(section: Widget): (content: HTMLElement | null) => void {
  if (typeof ResizeObserver === 'undefined' || typeof MutationObserver === 'undefined') {
    return () => undefined;
  }
  let current: HTMLElement | null = null;
  const update = () => {
    const content = current;
    if (!content) {
      return;
    }
    // The content shrinks with the section (what does not fit overflows it, and counts in
    // its scroll height), the list's rows scrolled out of sight count too, and so does the
    // body's padding around the content.
    const body = getComputedStyle(content.parentElement ?? content);
    const padding = parseFloat(body.paddingTop) + parseFloat(body.paddingBottom);
    const lists = Array.from(content.querySelectorAll<HTMLElement>(`.${FILL_CLASS}`));
    const hidden = lists.reduce((sum, list) => sum + list.scrollHeight - list.clientHeight, 0);
    const height = Math.ceil(content.scrollHeight + hidden + padding);
    const style = section.node.style;
    if (style.maxHeight !== `${height}px`) {
      style.maxHeight = `${height}px`;
      // A short section (an empty list, one line) is not squeezed when room is scarce,
      // nor is a list below the height where it shows a few rows.
      style.minHeight = `${Math.min(height, lists.length ? LIST_SECTION : SHORT_SECTION)}px`;
      shareRoom(section.parent);
    }
  };
  const resized = new ResizeObserver(update);
  // Rows added to a list that already scrolls, or content overflowing a squeezed section,
  // resize nothing.
  const changed = new MutationObserver(update);
  section.disposed.connect(() => {
    resized.disconnect();
    changed.disconnect();
  });
  return content => {
    resized.disconnect();
    changed.disconnect();
    current = content;
    if (content) {
      resized.observe(content);
      changed.observe(content, { childList: true, characterData: true, subtree: true });
    }
  };
}
