import React from 'react';
import { JupyterFrontEnd, JupyterFrontEndPlugin } from '@jupyterlab/application';
import {
  ICommandPalette,
  InputDialog,
  MainAreaWidget,
  Notification,
  ReactWidget
} from '@jupyterlab/apputils';
import {
  CodeMirrorEditor,
  EditorExtensionRegistry,
  IEditorExtensionRegistry
} from '@jupyterlab/codemirror';
import { IDocumentManager } from '@jupyterlab/docmanager';
import { IDocumentWidget } from '@jupyterlab/docregistry';
import { IDefaultFileBrowser } from '@jupyterlab/filebrowser';
import { FileEditor, IEditorTracker } from '@jupyterlab/fileeditor';
import { ITranslator } from '@jupyterlab/translation';
import { checkIcon, runIcon } from '@jupyterlab/ui-components';

import { reactBody } from '../reactBody';
import * as CommandIDs from '../commands';
import { addCommands } from '../commandTable';
import { loadTranslation } from '../components/translation';
import { ISpecMessage, ReanaApi } from '../reana/api';
import { ValidationView } from '../reana/components/ValidationView';
import { diagnosticsExtension, diagnosticsGutter, setDiagnostics } from '../reana/diagnostics';
import { validatingConnection } from '../reana/protocol';
import { runDialog } from '../reana/runDialog';
import { IReanaRuns } from '../reana/RunWatcher';
import { installCommand, isReanaSpec, isYamlPath, toDiagnostics } from '../reana/specs';
import { ValidationModel } from '../reana/ValidationModel';
import { IJobsModel, IServerInfoModel } from '../tokens';
import { IRunInput } from '../provenance/api';
import { ReadonlyPartialJSONValue } from '@lumino/coreutils';

/** How long after a save the editor asks the server, in ms (saves in a row ask once). */
const LINT_DELAY = 750;

type EditorWidget = IDocumentWidget<FileEditor>;

/**
 * REANA specifications: "Validate REANA specification" (a list of located messages that
 * open the file there), diagnostics inline in the file editor refreshed after saves, and
 * "Run on REANA…".
 */
export const reanaSpecsPlugin: JupyterFrontEndPlugin<void> = {
  id: 'reana-openbis-lab:reana-specs',
  description: 'Validate REANA specifications (list and inline) and run them on REANA.',
  autoStart: true,
  requires: [ITranslator],
  optional: [
    IDocumentManager,
    IEditorTracker,
    IDefaultFileBrowser,
    IEditorExtensionRegistry,
    IServerInfoModel,
    IReanaRuns,
    IJobsModel,
    ICommandPalette
  ],
  activate: (
    app: JupyterFrontEnd,
    translator: ITranslator,
    docManager: IDocumentManager | null,
    editors: IEditorTracker | null,
    fileBrowser: IDefaultFileBrowser | null,
    extensions: IEditorExtensionRegistry | null,
    serverInfo: IServerInfoModel | null,
    runs: IReanaRuns | null,
    jobs: IJobsModel | null,
    palette: ICommandPalette | null
  ): void => {
    const trans = loadTranslation(translator);
    const { commands, shell } = app;
    const api = new ReanaApi(app.serviceManager.serverSettings);
    const install = () => {
      const handshake = serverInfo?.handshake;
      return installCommand(handshake && 'info' in handshake ? handshake.info : null);
    };
    const views = new Map<string, MainAreaWidget<ReactWidget>>();

    /** The spec a command is about: its argument, the right-clicked file, or the active editor. */
    const isSpec = (args: { path?: unknown }): boolean => {
      const path = targetPath(args);
      return path !== null && isYamlPath(path);
    };
    const targetPath = (args: { path?: unknown }): string | null => {
      if (typeof args.path === 'string' && args.path) {
        return args.path;
      }
      const fromBrowser = app.contextMenuHitTest(node =>
        node.classList.contains('jp-DirListing-item')
      );
      const selected = fileBrowser ? [...fileBrowser.selectedItems()] : [];
      if (fromBrowser && selected.length) {
        return selected[0].path;
      }
      const editor = editors?.currentWidget;
      if (editor && shell.currentWidget === editor) {
        return editor.context.path;
      }
      return selected.find(item => isYamlPath(item.path))?.path ?? editor?.context.path ?? null;
    };

    const jump = async (path: string, message: ISpecMessage) => {
      // Beside the validation list, so both stay in view.
      const list = views.get(path);
      const widget = docManager?.openOrReveal(
        path,
        undefined,
        undefined,
        list && !list.isDisposed ? { ref: list.id, mode: 'split-left' } : undefined
      ) as EditorWidget | undefined;
      if (!widget) {
        return;
      }
      await widget.context.ready;
      await widget.revealed;
      const editor = widget.content?.editor;
      if (!editor) {
        return;
      }
      const position = {
        line: Math.max(0, (message.line ?? 1) - 1),
        column: Math.max(0, (message.column ?? 1) - 1)
      };
      editor.setCursorPosition(position);
      editor.revealPosition(position);
      editor.focus();
    };

    const showValidation = async (path: string) => {
      let view = views.get(path);
      if (!view || view.isDisposed) {
        const model = new ValidationModel(api, path, install, () => validatingConnection(api));
        const content = reactBody(
          trans,
          <ValidationView model={model} onJump={message => void jump(path, message)} />,
          'jp-ReanaOpenbis-workflowViewBody'
        );
        view = new MainAreaWidget({ content });
        view.id = `reana-openbis-lab-validation-${path}`;
        view.title.label = trans.__('Validation: %1', path.split('/').pop() ?? path);
        view.title.caption = trans.__('REANA validation of %1', path);
        view.title.icon = checkIcon;
        view.title.closable = true;
        views.set(path, view);
        view.disposed.connect(() => views.delete(path));
        (view as MainAreaWidget<ReactWidget> & { model?: ValidationModel }).model = model;
        shell.add(view, 'main', { mode: 'split-right' });
      }
      shell.activateById(view.id);
      await (view as MainAreaWidget<ReactWidget> & { model?: ValidationModel }).model?.validate();
    };

    addCommands(
      commands,
      [
        {
          id: CommandIDs.reanaValidate,
          label: trans.__('Validate REANA Specification'),
          caption: args =>
            isSpec(args)
              ? trans.__('Check a reana.yaml as reana-client does, with lines and columns')
              : trans.__('Open or select a REANA specification (a .yaml file) first'),
          toolbarIcon: checkIcon,
          args: { path: { type: 'string' } },
          isEnabled: args => isSpec(args),
          execute: async args => {
            const path = targetPath(args);
            if (!path) {
              Notification.warning(trans.__('Open or select a REANA specification first.'), {
                autoClose: 5000
              });
              return;
            }
            const editor = editors?.find(w => w.context.path === path);
            if (editor?.context.model.dirty) {
              await editor.context.save();
            }
            await showValidation(path);
          }
        },
        {
          id: CommandIDs.reanaRun,
          label: trans.__('Run on REANA…'),
          caption: args =>
            isSpec(args)
              ? trans.__('Validate the specification, upload its inputs and start it on REANA')
              : trans.__('Open or select a REANA specification (a .yaml file) first'),
          isEnabled: args => isSpec(args),
          toolbarIcon: runIcon,
          args: {
            path: { type: 'string' },
            openbisInputs: {
              type: 'array',
              items: {
                type: 'object',
                properties: {
                  connection: { type: 'string' },
                  permId: { type: 'string' },
                  name: { type: 'string' }
                }
              }
            }
          },
          execute: async args => {
            const path = targetPath(args);
            if (!path || !isYamlPath(path)) {
              Notification.warning(
                trans.__('Open or select a REANA specification (a .yaml file) first.'),
                { autoClose: 5000 }
              );
              return;
            }
            const editor = editors?.find(w => w.context.path === path);
            if (editor?.context.model.dirty) {
              await editor.context.save();
            }
            const started = await runDialog({
              api,
              trans,
              path,
              installCommand: install,
              inputs: runInputsOf(args.openbisInputs)
            });
            if (!started) {
              return;
            }
            jobs?.track(started.job);
            runs?.watchJob(started.job, started.connection);
            Notification.info(
              trans.__(
                'Creating, uploading and starting %1 on %2 (see Transfers)',
                path,
                started.connection
              ),
              { autoClose: 5000 }
            );
          }
        },
        {
          id: CommandIDs.openbisUseAsReanaInput,
          label: trans.__('Use as REANA Input…'),
          caption: trans.__(
            'Run a REANA specification with these openBIS datasets streamed into its workspace'
          ),
          args: {
            connection: { type: 'string' },
            datasets: {
              type: 'array',
              items: {
                type: 'object',
                properties: {
                  permId: { type: 'string' },
                  name: { type: 'string' },
                  type: { type: 'string' }
                }
              }
            }
          },
          execute: async args => {
            const connection = String(args.connection ?? '');
            const datasets = Array.isArray(args.datasets) ? args.datasets : [];
            const inputs = runInputsOf(
              datasets.map(d => ({ ...(d as object), connection }) as ReadonlyPartialJSONValue)
            );
            if (!connection || inputs.length === 0) {
              return;
            }
            const folder = fileBrowser?.model.path ?? '';
            const selected = fileBrowser
              ? [...fileBrowser.selectedItems()].find(item => isYamlPath(item.path))?.path
              : undefined;
            const answer = await InputDialog.getText({
              title: trans.__('Run which REANA specification?'),
              label: trans.__(
                'The specification (relative to the server root) whose run takes %1 as input',
                inputs.map(i => i.name ?? i.permId).join(', ')
              ),
              text: selected ?? (folder ? `${folder}/reana.yaml` : 'reana.yaml'),
              okLabel: trans.__('Continue')
            });
            const path = answer.button.accept ? (answer.value ?? '').trim() : '';
            if (path) {
              await app.commands.execute(CommandIDs.reanaRun, {
                path,
                openbisInputs: inputs.map(i => ({
                  connection: i.connection,
                  permId: i.permId,
                  name: i.name ?? '',
                  type: i.type ?? ''
                }))
              });
            }
          }
        }
      ],
      palette,
      trans.__('REANA')
    );

    if (extensions && editors) {
      installInlineDiagnostics(extensions, editors, api);
    }
  }
};

/**
 * Diagnostics in the file editor: the underline extension goes through the editor
 * extension registry (file editors only, not notebook cells); spec editors also get the
 * gutter, and their diagnostics are read from the server when opened and after each save
 * (debounced: the server sees the saved file, so unsaved edits keep the previous ones).
 */
function installInlineDiagnostics(
  extensions: IEditorExtensionRegistry,
  editors: IEditorTracker,
  api: ReanaApi
): void {
  extensions.addExtension({
    name: 'reana-openbis-lab:reana-diagnostics',
    factory: options =>
      options.inline ? null : EditorExtensionRegistry.createImmutableExtension(diagnosticsExtension)
  });

  editors.widgetAdded.connect((_, widget) => {
    void widget.context.ready.then(() => {
      const editor = widget.content.editor as CodeMirrorEditor;
      if (!isReanaSpec(widget.context.path, editor.model.sharedModel.getSource())) {
        return;
      }
      editor.injectExtension(diagnosticsGutter);
      let timer = 0;
      const refresh = () => {
        window.clearTimeout(timer);
        timer = window.setTimeout(async () => {
          if (widget.isDisposed || widget.context.model.dirty) {
            return;
          }
          try {
            const connection = await validatingConnection(api);
            const validation = await api.validate(widget.context.path, connection);
            const view = editor.editor;
            view.dispatch({
              effects: setDiagnostics.of(toDiagnostics(validation, view.state.doc))
            });
          } catch {
            // No verdict (no reana-client, server gone): keep what is shown.
          }
        }, LINT_DELAY);
      };
      refresh();
      widget.context.saveState.connect((__, state) => {
        if (state === 'completed') {
          refresh();
        }
      });
      widget.disposed.connect(() => window.clearTimeout(timer));
    });
  });
}

/** Run inputs from command arguments (`[{connection, permId, name?}]`), bad entries dropped. */
function runInputsOf(value: ReadonlyPartialJSONValue | undefined): IRunInput[] {
  if (!Array.isArray(value)) {
    return [];
  }
  return value.flatMap(entry => {
    const item = entry as {
      connection?: unknown;
      permId?: unknown;
      name?: unknown;
      type?: unknown;
    };
    return typeof item.connection === 'string' && typeof item.permId === 'string'
      ? [
          {
            connection: item.connection,
            permId: item.permId,
            name: typeof item.name === 'string' && item.name ? item.name : null,
            type: typeof item.type === 'string' && item.type ? item.type : null,
            folder: ''
          }
        ]
      : [];
  });
}
