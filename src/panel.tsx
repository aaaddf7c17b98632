import React from 'react';
import { ITranslator, TranslationBundle } from '@jupyterlab/translation';
import { LabIcon, SidePanel, Toolbar } from '@jupyterlab/ui-components';
import { Message } from '@lumino/messaging';
import { ISignal, Signal } from '@lumino/signaling';
import { Panel, Widget } from '@lumino/widgets';

import { HandshakeGate } from './components/PanelStatus';
import { reactBody } from './reactBody';
import { IServerInfoModel } from './tokens';

/** Marks a panel's tab while the server does not offer its service: the tab is hidden. */
const UNAVAILABLE_CLASS = 'jp-ReanaOpenbis-unavailable';

/**
 * A side panel of one service (openBIS, REANA), as JupyterLab's own panels are: a title with
 * its toolbar on one line, then the body, which takes the whole height that is left (the
 * tree, the runs). While the server extension does not answer, the body gives way to why.
 * Each panel has its own tab, so the user can move it to either side bar.
 */
export class ServicePanel extends SidePanel {
  constructor(options: ServicePanel.IOptions) {
    const { trans } = options;
    const header = new Panel();
    super({ translator: options.translator, header, content: new Panel() });
    this.id = options.id;
    this.addClass('jp-ReanaOpenbis-panel');
    this.title.icon = options.icon;
    this.title.caption = options.label;

    const heading = document.createElement('h2');
    heading.textContent = options.label;
    header.addWidget(new Widget({ node: heading }));
    this.buttons = new Toolbar();
    this.buttons.addClass('jp-ReanaOpenbis-panelButtons');
    header.addWidget(this.buttons);

    this.content.addWidget(
      reactBody(
        trans,
        <HandshakeGate serverInfo={options.serverInfo}>{options.body}</HandshakeGate>,
        'jp-ReanaOpenbis-panelBody'
      )
    );
  }

  /** The icon buttons beside the title. */
  readonly buttons: Toolbar;

  /** Emitted each time the panel comes on screen (its lists stand by while hidden). */
  get shown(): ISignal<this, void> {
    return this.#shown;
  }

  protected onAfterShow(msg: Message): void {
    super.onAfterShow(msg);
    this.#shown.emit();
  }

  /**
   * Hide the panel's tab while the server does not offer the service (an older or partial
   * server extension), and show it again when it does. An open panel stays open and says
   * why it is empty.
   */
  setAvailable(available: boolean): void {
    this.title.className = available ? '' : UNAVAILABLE_CLASS;
  }

  readonly #shown = new Signal<this, void>(this);
}

export namespace ServicePanel {
  export interface IOptions {
    /** The DOM id; the layout restorer and `activateById` use it. */
    id: string;
    label: string;
    icon: LabIcon;
    serverInfo: IServerInfoModel;
    translator: ITranslator;
    trans: TranslationBundle;
    /** What the panel shows once the server extension answers. */
    body: JSX.Element;
  }
}
