import { TranslationBundle } from '@jupyterlab/translation';
import { PanelWithToolbar } from '@jupyterlab/ui-components';
import { ISignal } from '@lumino/signaling';
import { AccordionPanel, Widget } from '@lumino/widgets';

import { h } from './jsx';
import { reactBody } from './reactBody';
import { ConnectionList } from './tokens';

/** Sections up to this height (px) keep all of it when the panel is short. */
const SHORT_SECTION = 64;

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
}): PanelWithToolbar {
  const section = new PanelWithToolbar();
  section.id = options.id;
  section.title.label = options.label;
  section.addClass('jp-ReanaOpenbis-panelSection');
  section.addWidget(
    reactBody(
      options.trans,
      <div ref={fitToContent(section)}>{options.body}</div>,
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
 * section's largest share, and gives what is left to the sections that need it. Returns
 * the ref callback for the content's wrapper.
 */
function fitToContent(section: Widget): (content: HTMLElement | null) => void {
  if (typeof ResizeObserver === 'undefined') {
    return () => undefined;
  }
  const observer = new ResizeObserver(entries => {
    const content = entries[0]?.target as HTMLElement | undefined;
    if (!content) {
      return;
    }
    // The body around the content scrolls; its padding counts too.
    const body = getComputedStyle(content.parentElement ?? content);
    const padding = parseFloat(body.paddingTop) + parseFloat(body.paddingBottom);
    const height = Math.ceil(content.offsetHeight + padding);
    const style = section.node.style;
    if (style.maxHeight !== `${height}px`) {
      style.maxHeight = `${height}px`;
      // A short section (an empty list, one line) is not squeezed when room is scarce.
      style.minHeight = `${Math.min(height, SHORT_SECTION)}px`;
      section.parent?.fit();
    }
  });
  section.disposed.connect(() => observer.disconnect());
  return content => {
    observer.disconnect();
    if (content) {
      observer.observe(content);
    }
  };
}
