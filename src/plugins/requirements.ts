import { JupyterFrontEnd, JupyterFrontEndPlugin } from '@jupyterlab/application';
import {
  Dialog,
  ICommandPalette,
  ISessionContextDialogs,
  Notification,
  showDialog
} from '@jupyterlab/apputils';
import { PathExt } from '@jupyterlab/coreutils';
import { IDocumentManager } from '@jupyterlab/docmanager';
import { INotebookTracker, NotebookPanel } from '@jupyterlab/notebook';
import { ITranslator, TranslationBundle } from '@jupyterlab/translation';
import { listIcon } from '@jupyterlab/ui-components';

import * as CommandIDs from '../commands';
import { addCommands } from '../commandTable';
import { loadTranslation } from '../components/translation';
import { ApiError, messageOf, requestAPI } from '../request';

/** `RequirementsResult` in openapi.yaml. */
interface IRequirementsResult {
  readonly language: 'python' | 'r';
  readonly source: 'kernel' | 'request';
  /** Imports no distribution in the kernel provides (e.g. the notebook's own modules). */
  readonly unresolved?: readonly string[];
  readonly requirements: { readonly path: string; readonly written: boolean };
  readonly runtime: { readonly path: string; readonly written: boolean };
}

/**
 * "Save requirements.txt and runtime.txt": the active notebook's environment, asked from
 * its own kernel by the server, written next to it (toolbar button declared in schema).
 */
export const requirementsPlugin: JupyterFrontEndPlugin<void> = {
  id: 'reana-openbis-lab:requirements',
  description: "Save a notebook's requirements.txt and runtime.txt, computed in its own kernel.",
  autoStart: true,
  requires: [INotebookTracker, ITranslator],
  optional: [IDocumentManager, ICommandPalette, ISessionContextDialogs],
  activate: (
    app: JupyterFrontEnd,
    tracker: INotebookTracker,
    translator: ITranslator,
    docManager: IDocumentManager | null,
    palette: ICommandPalette | null,
    sessionDialogs: ISessionContextDialogs | null
  ): void => {
    const trans = loadTranslation(translator);
    const { commands, shell } = app;
    const settings = app.serviceManager.serverSettings;

    const notebookFor = (path: unknown): NotebookPanel | null => {
      if (typeof path === 'string') {
        return tracker.find(panel => panel.context.path === path) ?? null;
      }
      const current = tracker.currentWidget;
      return current && current === shell.currentWidget ? current : tracker.currentWidget;
    };

    /** Ask to start the notebook's kernel and start it; false when the user declines. */
    const startKernel = async (panel: NotebookPanel): Promise<boolean> => {
      const path = panel.context.path;
      if (
        !(await confirm(
          trans,
          trans.__('Start the kernel?'),
          noKernelText(trans, path),
          trans.__('Start kernel')
        ))
      ) {
        return false;
      }
      const ask = await panel.sessionContext.startKernel();
      if (ask && sessionDialogs) {
        await sessionDialogs.selectKernel(panel.sessionContext);
      }
      await panel.sessionContext.ready;
      return true;
    };

    const save = async (panel: NotebookPanel): Promise<void> => {
      const path = panel.context.path;
      // The server reads the imports from the saved file: unsaved cells must count too.
      if (panel.context.model.dirty) {
        await panel.context.save();
      }
      // Asked here rather than learnt from a refused request: the page knows its kernel.
      if (!panel.sessionContext.session?.kernel && !(await startKernel(panel))) {
        return;
      }
      let overwrite = false;
      for (;;) {
        const id = Notification.emit(
          trans.__('Asking the kernel of %1 for its packages…', PathExt.basename(path)),
          'in-progress',
          { autoClose: false }
        );
        try {
          const result = await requestAPI<IRequirementsResult>(
            'requirements',
            { method: 'POST', body: JSON.stringify({ notebook_path: path, overwrite }) },
            settings
          );
          announce(id, result, trans, docManager);
          return;
        } catch (reason) {
          Notification.dismiss(id);
          // The kernel died between the check above and the server's question to it.
          if (reason instanceof ApiError && reason.code === 'no_kernel') {
            if (!(await startKernel(panel))) {
              return;
            }
            continue;
          }
          if (reason instanceof ApiError && reason.code === 'exists' && !overwrite) {
            const question = trans.__(
              '%1 already has a requirements.txt or runtime.txt with other content. Replace it?',
              PathExt.basename(path)
            );
            if (!(await confirm(trans, trans.__('Overwrite?'), question, trans.__('Overwrite')))) {
              return;
            }
            overwrite = true;
            continue;
          }
          Notification.error(
            trans.__(
              'Could not save the requirements of %1: %2',
              PathExt.basename(path),
              messageOf(reason)
            ),
            { autoClose: false }
          );
          return;
        }
      }
    };

    addCommands(
      commands,
      [
        {
          id: CommandIDs.saveRequirements,
          label: args => (args.toolbar ? '' : trans.__('Save requirements.txt and runtime.txt')),
          caption: trans.__(
            "Save the notebook's packages and language version next to it, as its running kernel reports them"
          ),
          icon: listIcon,
          args: {
            path: {
              type: 'string',
              description: trans.__('A notebook path (default: the active notebook)')
            }
          },
          isEnabled: args => notebookFor(args.path) !== null,
          execute: args => {
            const panel = notebookFor(args.path);
            return panel ? save(panel) : undefined;
          }
        }
      ],
      palette,
      // Beside JupyterLab's own notebook commands: it is about the notebook, not openBIS.
      trans.__('Notebook Operations')
    );
    tracker.currentChanged.connect(() =>
      commands.notifyCommandChanged(CommandIDs.saveRequirements)
    );
  }
};

function noKernelText(trans: TranslationBundle, path: string): string {
  return trans.__(
    'No kernel runs for %1. Its packages are read from its kernel: start it, then the files are saved.',
    PathExt.basename(path)
  );
}

async function confirm(
  trans: TranslationBundle,
  title: string,
  body: string,
  accept: string
): Promise<boolean> {
  const result = await showDialog({
    title,
    body,
    buttons: [Dialog.cancelButton(), Dialog.okButton({ label: accept })]
  });
  return result.button.accept;
}

/** Success, with one action per file to open it. */
function announce(
  id: string,
  result: IRequirementsResult,
  trans: TranslationBundle,
  docManager: IDocumentManager | null
): void {
  const files = [result.requirements.path, result.runtime.path];
  const names = files.map(path => PathExt.basename(path));
  Notification.update({
    id,
    type: 'success',
    message: result.unresolved?.length
      ? trans.__(
          'Saved %1 and %2. Not listed, as no package in the kernel provides them: %3.',
          names[0],
          names[1],
          result.unresolved.join(', ')
        )
      : trans.__('Saved %1 and %2.', names[0], names[1]),
    autoClose: result.unresolved?.length ? false : 8000,
    actions: docManager
      ? files.map((path, index) => ({
          label: trans.__('Open %1', names[index]),
          callback: () => void docManager.openOrReveal(path)
        }))
      : []
  });
}
