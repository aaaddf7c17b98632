import React from 'react';
import { JupyterFrontEnd } from '@jupyterlab/application';
import { ITranslator, TranslationBundle } from '@jupyterlab/translation';
import { CommandToolbarButton, refreshIcon, SidePanel } from '@jupyterlab/ui-components';
import { CommandRegistry } from '@lumino/commands';
import { AccordionPanel, PanelLayout, Widget } from '@lumino/widgets';

import { reactBody } from './reactBody';
import * as CommandIDs from './commands';
import { PanelFooter, PanelStatus } from './components/PanelStatus';
import { reanaOpenbisIcon } from './icons';
import { followShares } from './section';
import { Handshake, IConnectionsModel, IReanaOpenbisPanel, IServerInfoModel } from './tokens';

/** The DOM id of the panel; the layout restorer and `activateById` use it. */
export const SIDEBAR_ID = 'reana-openbis-lab-sidebar';

/**
 * The side panel: JupyterLab's own SidePanel (header, toolbar, accordion of sections), so
 * it looks and behaves like the built-in panels. A status line above the sections says
 * whether the server extension answers; the sections (openBIS, REANA, Transfers) come from their own plugins
 * and stay hidden until the handshake succeeds, since none of them could work before.
 */
export class ReanaOpenbisSidebar extends SidePanel implements IReanaOpenbisPanel {
  constructor(options: ReanaOpenbisSidebar.IOptions) {
    const { translator, trans, commands } = options;
    super({ translator });
    this.id = SIDEBAR_ID;
    this.addClass('jp-ReanaOpenbis-sidebar');
    this.title.icon = reanaOpenbisIcon;
    this.title.caption = trans.__('openBIS & REANA');
    this.connections = options.connections;
    this.serverInfo = options.serverInfo;
    this.#shell = options.shell;

    const heading = document.createElement('h2');
    heading.textContent = trans.__('openBIS & REANA');
    this.header.addWidget(new Widget({ node: heading }));
    this.toolbar.addItem(
      'refresh',
      new CommandToolbarButton({ commands, id: CommandIDs.refresh, icon: refreshIcon, label: '' })
    );

    // Between the toolbar and the sections: why the panel cannot work, or the first steps.
    const status = reactBody(
      trans,
      <PanelStatus serverInfo={options.serverInfo} connections={options.connections} />,
      'jp-ReanaOpenbis-panelStatus'
    );
    const layout = this.layout as PanelLayout;
    layout.insertWidget(layout.widgets.indexOf(this.content), status);
    const footer = reactBody(
      trans,
      <PanelFooter serverInfo={options.serverInfo} />,
      'jp-ReanaOpenbis-panelFooter'
    );
    layout.addWidget(footer);

    followShares(this.content as AccordionPanel);
    options.serverInfo.handshakeChanged.connect(this.#onHandshake, this);
    this.#onHandshake(options.serverInfo, options.serverInfo.handshake);
  }

  readonly connections: IConnectionsModel;
  readonly serverInfo: IServerInfoModel;

  addSection(section: Widget, rank: number): void {
    // After the sections of lower or equal rank (the ranks are kept sorted).
    const index = this.#ranks.filter(r => r <= rank).length;
    this.#ranks.splice(index, 0, rank);
    this.insertWidget(index, section);
  }

  reveal(section?: Widget): void {
    this.#shell.activateById(this.id);
    if (section) {
      const accordion = this.content as AccordionPanel;
      const index = accordion.widgets.indexOf(section);
      if (index >= 0 && !section.isVisible) {
        accordion.expand(index);
      }
    }
  }

  #onHandshake(_: IServerInfoModel, handshake: Handshake): void {
    this.content.setHidden(handshake.status !== 'ready');
  }

  readonly #shell: JupyterFrontEnd.IShell;
  /** Ranks of the sections, in the accordion's order. */
  readonly #ranks: number[] = [];
}

export namespace ReanaOpenbisSidebar {
  export interface IOptions {
    /** Where the panel lives, to bring it to the front. */
    shell: JupyterFrontEnd.IShell;
    serverInfo: IServerInfoModel;
    connections: IConnectionsModel;
    commands: CommandRegistry;
    translator: ITranslator;
    trans: TranslationBundle;
  }
}
