import React from 'react';
import { ILayoutRestorer, JupyterFrontEnd, JupyterFrontEndPlugin } from '@jupyterlab/application';
import { ICommandPalette } from '@jupyterlab/apputils';
import { ISettingRegistry } from '@jupyterlab/settingregistry';
import { ITranslator } from '@jupyterlab/translation';
import { refreshIcon } from '@jupyterlab/ui-components';
import { ISignal, Signal } from '@lumino/signaling';

import * as CommandIDs from '../commands';
import { addCommands } from '../commandTable';
import { ConnectionsView, partIdOf } from '../components/ConnectionsView';
import { loadTranslation } from '../components/translation';
import { reanaOpenbisIcon } from '../icons';
import { ConnectionsModel } from '../models/ConnectionsModel';
import { IServerEvent } from '../models/JobsModel';
import { notifyHandshakeProblem } from '../notifications';
import { SingletonView } from '../mainAreaView';
import { reactBody } from '../reactBody';
import { followSettings, numberOf } from '../settings';
import {
  IConnectionsModel,
  IConnectionsView,
  IConnectionsViewPart,
  IServerInfoModel
} from '../tokens';

const PLUGIN_ID = 'reana-openbis-lab:connections';

/** The schema default of `refreshInterval`, used until the settings are loaded. */
const DEFAULT_REFRESH_SECONDS = 30;

/** The palette category of the commands about both services. */
const CATEGORY = 'openBIS & REANA';

/**
 * The openBIS and REANA connection lists, polled once for every part; the handshake
 * problem at start; and the panel to open at start.
 */
export const connectionsPlugin: JupyterFrontEndPlugin<IConnectionsModel> = {
  id: PLUGIN_ID,
  description: 'The openBIS and REANA connections, shared by the panels and the other parts.',
  autoStart: true,
  provides: IConnectionsModel,
  requires: [IServerInfoModel, ITranslator],
  optional: [ICommandPalette, ISettingRegistry],
  activate: (
    app: JupyterFrontEnd,
    serverInfo: IServerInfoModel,
    translator: ITranslator,
    palette: ICommandPalette | null,
    settingRegistry: ISettingRegistry | null
  ): IConnectionsModel => {
    const trans = loadTranslation(translator);
    const { commands } = app;
    const connections = new ConnectionsModel({
      serverSettings: app.serviceManager.serverSettings,
      serverInfo,
      refreshInterval: DEFAULT_REFRESH_SECONDS * 1000,
      events: (app.serviceManager.events?.stream ?? null) as ISignal<unknown, IServerEvent> | null
    });
    addCommands(
      commands,
      [
        {
          id: CommandIDs.refresh,
          label: trans.__('Refresh openBIS & REANA Status'),
          caption: trans.__('Check the server extension and the connections again'),
          toolbarIcon: refreshIcon,
          execute: () => serverInfo.check()
        }
      ],
      palette,
      CATEGORY
    );

    void serverInfo.check().then(handshake =>
      notifyHandshakeProblem(handshake, trans, () => {
        void commands.execute(CommandIDs.openConnections);
      })
    );

    void followSettings(settingRegistry, PLUGIN_ID, trans, setting => {
      connections.refreshInterval =
        numberOf(setting, 'refreshInterval', DEFAULT_REFRESH_SECONDS) * 1000;
    }).then(async settings => {
      await app.restored;
      if (settings?.get('openAtStart').composite === true) {
        await connections.refresh();
        const { openbis, reana } = connections;
        const onlyReana =
          !(openbis.status === 'ready' && openbis.connections.length > 0) &&
          reana.status === 'ready' &&
          reana.connections.length > 0;
        const id = onlyReana ? CommandIDs.reanaOpenPanel : CommandIDs.openbisOpenPanel;
        if (commands.hasCommand(id)) {
          await commands.execute(id);
        }
      }
    });
    return connections;
  }
};

/** The tracker's and restorer's namespace of the connections view. */
const VIEW_NAMESPACE = 'reana-openbis-lab-connections';

/**
 * The connections view: a main-area view where each service adds, edits, logs in and out,
 * deletes and mounts its connections, with room for what each connection has to say.
 * The side panels only show the current connection and link here.
 */
export const connectionsViewPlugin: JupyterFrontEndPlugin<IConnectionsView> = {
  id: 'reana-openbis-lab:connections-view',
  description: 'The main-area view where openBIS and REANA connections are managed.',
  autoStart: true,
  provides: IConnectionsView,
  requires: [IServerInfoModel, ITranslator],
  optional: [ILayoutRestorer, ICommandPalette],
  activate: (
    app: JupyterFrontEnd,
    serverInfo: IServerInfoModel,
    translator: ITranslator,
    restorer: ILayoutRestorer | null,
    palette: ICommandPalette | null
  ): IConnectionsView => {
    const trans = loadTranslation(translator);
    const { commands, shell } = app;
    const parts: IConnectionsViewPart[] = [];
    const partsChanged = new Signal<unknown, void>(parts);
    const view = new SingletonView({
      shell,
      id: VIEW_NAMESPACE,
      label: trans.__('Connections'),
      caption: trans.__('openBIS & REANA connections'),
      icon: reanaOpenbisIcon,
      content: () =>
        reactBody(
          trans,
          <ConnectionsView
            serverInfo={serverInfo}
            parts={() => parts}
            partsChanged={partsChanged}
          />,
          'jp-ReanaOpenbis-connectionsBody'
        )
    });

    const open = async (partId?: string): Promise<void> => {
      const widget = view.open();
      if (partId) {
        await widget.revealed;
        const part = document.getElementById(partId);
        part?.scrollIntoView({ block: 'start' });
        part?.querySelector<HTMLElement>('button:not([disabled])')?.focus();
      }
    };

    addCommands(
      commands,
      [
        {
          id: CommandIDs.openConnections,
          label: trans.__('Manage openBIS & REANA Connections'),
          caption: trans.__('Add, edit, log in or out of, delete and mount connections'),
          icon: reanaOpenbisIcon,
          args: { part: { type: 'string', description: 'openbis or reana' } },
          execute: args => open(typeof args.part === 'string' ? partIdOf(args.part) : undefined)
        }
      ],
      palette,
      CATEGORY
    );
    void restorer?.restore(view.tracker, {
      command: CommandIDs.openConnections,
      name: () => 'connections'
    });

    return {
      addPart: part => {
        parts.push(part);
        parts.sort((a, b) => a.rank - b.rank);
        partsChanged.emit();
      },
      open: async part => {
        await commands.execute(CommandIDs.openConnections, part ? { part } : {});
      }
    };
  }
};
