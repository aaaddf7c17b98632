import { JupyterFrontEnd, JupyterFrontEndPlugin } from '@jupyterlab/application';
import { ICommandPalette, Notification } from '@jupyterlab/apputils';
import { ISettingRegistry } from '@jupyterlab/settingregistry';
import { ITranslator } from '@jupyterlab/translation';
import { addIcon, CommandToolbarButton, runIcon } from '@jupyterlab/ui-components';

import { h } from '../jsx';
import * as CommandIDs from '../commands';
import { TRANSLATION_DOMAIN } from '../components/translation';
import { ReanaApi } from '../reana/api';
import { ReanaSection } from '../reana/components/ReanaSection';
import { deleteConnectionDialog, editConnectionDialog } from '../reana/connectionDialogs';
import { ReanaSectionModel } from '../reana/ReanaSectionModel';
import { describeProblem } from '../reana/status';
import { DEFAULT_INTERVALS } from '../reana/PolledModel';
import { createSection } from '../section';
import { IReanaOpenbisPanel } from '../tokens';

/** Where the REANA section sits among the panel's sections. */
const SECTION_RANK = 200;

/** The plugin id, also the settings of the whole REANA part (`schema/reana-section.json`). */
export const REANA_SETTINGS_ID = 'reana-openbis-lab:reana-section';

/** The REANA section of the side panel: connections and their workflow runs. */
export const reanaSectionPlugin: JupyterFrontEndPlugin<void> = {
  id: REANA_SETTINGS_ID,
  description: 'The REANA section of the side panel: connections and workflow runs.',
  autoStart: true,
  requires: [IReanaOpenbisPanel, ITranslator],
  optional: [ICommandPalette, ISettingRegistry],
  activate: (
    app: JupyterFrontEnd,
    panel: IReanaOpenbisPanel,
    translator: ITranslator,
    palette: ICommandPalette | null,
    settingRegistry: ISettingRegistry | null
  ): void => {
    const trans = translator.load(TRANSLATION_DOMAIN);
    const { commands } = app;
    const { connections } = panel;
    const api = new ReanaApi(app.serviceManager.serverSettings);
    let isVisible = () => false;
    const model = new ReanaSectionModel({ api, connections, isVisible: () => isVisible() });
    const section = createSection({
      id: 'reana-openbis-lab-reana-section',
      label: trans.__('REANA'),
      trans,
      hideWhenUnavailable: { signal: connections.changed, list: () => connections.reana },
      body: <ReanaSection model={model} commands={commands} />
    });
    isVisible = () => section.isVisible;
    section.toolbar.addItem(
      'add',
      new CommandToolbarButton({
        commands,
        id: CommandIDs.reanaAddConnection,
        icon: addIcon,
        label: ''
      })
    );
    section.toolbar.addItem(
      'run',
      new CommandToolbarButton({ commands, id: CommandIDs.reanaRun, icon: runIcon, label: '' })
    );
    panel.addSection(section, SECTION_RANK);

    const connectionArg = {
      type: 'object',
      properties: { connection: { type: 'string' } },
      required: ['connection']
    };
    const findConnection = (name: string) => model.reana.find(c => c.name === name);
    const fail = (reason: unknown) => Notification.error(describeProblem(reason).message);

    commands.addCommand(CommandIDs.reanaAddConnection, {
      label: trans.__('Add REANA Connection…'),
      caption: trans.__('Add a REANA server and its access token'),
      icon: args => (args.toolbar ? addIcon : undefined),
      describedBy: { args: { type: 'object', properties: {} } },
      execute: async () => {
        const added = await editConnectionDialog(api, trans);
        if (added) {
          await model.edited(added.name);
        }
      }
    });
    commands.addCommand(CommandIDs.reanaEditConnection, {
      label: trans.__('Edit REANA Connection…'),
      describedBy: { args: connectionArg },
      execute: async args => {
        const existing = findConnection(String(args.connection ?? ''));
        if (!existing) {
          return;
        }
        const saved = await editConnectionDialog(api, trans, existing);
        if (saved) {
          await model.edited(saved.name);
        }
      }
    });
    commands.addCommand(CommandIDs.reanaDeleteConnection, {
      label: trans.__('Delete REANA Connection…'),
      describedBy: { args: connectionArg },
      execute: async args => {
        const name = String(args.connection ?? '');
        try {
          if (await deleteConnectionDialog(api, trans, name)) {
            await connections.refresh();
          }
        } catch (reason) {
          fail(reason);
        }
      }
    });

    commands.addCommand(CommandIDs.reanaRefreshRuns, {
      label: trans.__('Refresh REANA Runs'),
      describedBy: { args: { type: 'object', properties: {} } },
      execute: () => model.refreshList()
    });

    if (palette) {
      const category = trans.__('REANA');
      palette.addItem({ command: CommandIDs.reanaAddConnection, category });
      palette.addItem({ command: CommandIDs.reanaRefreshRuns, category });
    }

    if (settingRegistry) {
      void settingRegistry
        .load(REANA_SETTINGS_ID)
        .then(settings => {
          const apply = () => {
            const number = (key: string, fallback: number) => {
              const value = settings.get(key).composite;
              return typeof value === 'number' ? value : fallback;
            };
            model.pageSize = number('pageSize', 20);
            model.intervals = {
              active: number('activeRefreshSeconds', DEFAULT_INTERVALS.active / 1000) * 1000,
              idle: number('idleRefreshSeconds', DEFAULT_INTERVALS.idle / 1000) * 1000,
              max: number('maxRefreshSeconds', DEFAULT_INTERVALS.max / 1000) * 1000
            };
          };
          apply();
          settings.changed.connect(apply);
        })
        .catch(reason =>
          Notification.error(trans.__('The REANA settings could not be loaded: %1', String(reason)))
        );
    }
  }
};
