import { TranslationBundle } from '@jupyterlab/translation';
import { PanelWithToolbar } from '@jupyterlab/ui-components';
import { ISignal } from '@lumino/signaling';

import { reactBody } from './reactBody';
import { ConnectionList } from './tokens';

/** Marks a section left out because the server does not offer it; its title goes too. */
const UNAVAILABLE_CLASS = 'jp-ReanaOpenbis-unavailable';

/**
 * A section of the side panel: a React body under a title whose toolbar the accordion
 * shows in the title bar (add buttons with `section.toolbar.addItem`).
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
  section.addWidget(reactBody(options.trans, options.body, 'jp-ReanaOpenbis-body'));
  const unavailable = options.hideWhenUnavailable;
  if (unavailable) {
    const update = () => {
      const hidden = unavailable.list().status === 'unavailable';
      section.toggleClass(UNAVAILABLE_CLASS, hidden);
      section.setHidden(hidden);
    };
    unavailable.signal.connect(update, section);
    update();
  }
  return section;
}
