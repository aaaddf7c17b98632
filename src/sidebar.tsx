import { ReactWidget } from '@jupyterlab/apputils';
import { ITranslator, TranslationBundle } from '@jupyterlab/translation';
import { CommandToolbarButton, refreshIcon, SidePanel } from '@jupyterlab/ui-components';
import { CommandRegistry } from '@lumino/commands';
import { Panel, Widget } from '@lumino/widgets';
import React from 'react';

import { CommandIDs } from './commands';
import { SidebarContent } from './components/SidebarContent';
import { TranslationContext } from './components/translation';
import { reanaOpenbisIcon } from './icons';
import { ConnectionsModel } from './models/ConnectionsModel';
import { IServerInfoModel } from './tokens';

/** The DOM id of the panel; the layout restorer and `activateById` use it. */
export const SIDEBAR_ID = 'reana-openbis-lab-sidebar';

/**
 * Build the side panel: JupyterLab's own SidePanel for the header and toolbar, so it
 * looks and behaves like the built-in panels, with a React body.
 */
export function createSidebar(options: {
  serverInfo: IServerInfoModel;
  connections: ConnectionsModel;
  commands: CommandRegistry;
  translator: ITranslator;
  trans: TranslationBundle;
}): SidePanel {
  const { serverInfo, connections, commands, translator, trans } = options;
  // A plain Panel as content: the default accordion would add a title bar to our single section.
  const panel = new SidePanel({ translator, content: new Panel() });
  panel.id = SIDEBAR_ID;
  panel.addClass('jp-ReanaOpenbis-sidebar');
  panel.title.icon = reanaOpenbisIcon;
  panel.title.caption = trans.__('openBIS & REANA');

  const heading = document.createElement('h2');
  heading.textContent = trans.__('openBIS & REANA');
  panel.header.addWidget(new Widget({ node: heading }));

  panel.toolbar.addItem(
    'refresh',
    new CommandToolbarButton({ commands, id: CommandIDs.refresh, icon: refreshIcon, label: '' })
  );

  const body = ReactWidget.create(
    <TranslationContext.Provider value={trans}>
      <SidebarContent serverInfo={serverInfo} connections={connections} />
    </TranslationContext.Provider>
  );
  body.addClass('jp-ReanaOpenbis-body');
  panel.addWidget(body);
  return panel;
}
