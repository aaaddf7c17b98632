import { Notification } from '@jupyterlab/apputils';
import { IDefaultFileBrowser } from '@jupyterlab/filebrowser';
import { TranslationBundle } from '@jupyterlab/translation';
import { CommandRegistry } from '@lumino/commands';

import * as CommandIDs from '../commands';
import { askConflict } from '../components/conflicts';
import { ApiError, messageOf, requestAPI } from '../request';
import { ICrateRequest, ILineageNode, ProvenanceApi } from './api';

/**
 * Open the run a lineage node stands for: its run view when a REANA connection to that
 * server exists, else the run's page on the server.
 */
export async function openRunNode(
  commands: CommandRegistry,
  api: ProvenanceApi,
  node: ILineageNode
): Promise<void> {
  const server = (node.server ?? '').replace(/\/+$/, '');
  let connection: string | undefined;
  try {
    const answer = await requestAPI<{ connections: { name: string; url: string }[] }>(
      'reana/connections',
      {},
      api.serverSettings
    );
    connection = answer.connections.find(c => c.url.replace(/\/+$/, '') === server)?.name;
  } catch {
    connection = undefined;
  }
  if (connection && node.workflowId) {
    // By name.N when known: the view the run watcher opened is keyed by it.
    await commands.execute(CommandIDs.reanaOpenWorkflow, {
      connection,
      workflow: node.name ?? node.workflowId
    });
  } else if (server && node.workflowId) {
    window.open(`${server}/details/${encodeURIComponent(node.workflowId)}`, '_blank', 'noopener');
  }
}

/**
 * Write a crate into the file browser's folder and say where. When a crate of that name is
 * there already (an export made before), the user is asked in place: replace it, keep both
 * or cancel.
 */
export async function exportCrate(
  api: ProvenanceApi,
  request: Omit<ICrateRequest, 'destination' | 'format'>,
  trans: TranslationBundle,
  fileBrowser: IDefaultFileBrowser | null
): Promise<void> {
  const destination = fileBrowser?.model.path ?? '';
  const full: ICrateRequest = { ...request, destination, format: 'zip' };
  try {
    let written: { path: string };
    try {
      written = await api.exportCrate(full);
    } catch (reason) {
      if (!(reason instanceof ApiError) || reason.code !== 'target_exists') {
        throw reason;
      }
      const answer = await askConflict(trans, {
        title: trans.__('Replace the RO-Crate?'),
        message: reason.message,
        keepBoth: true
      });
      if (answer === 'cancel') {
        return;
      }
      written = await api.exportCrate(
        answer === 'replace' ? { ...full, overwrite: true } : { ...full, keepBoth: true }
      );
    }
    Notification.success(trans.__('RO-Crate written to %1', written.path), { autoClose: 5000 });
    await fileBrowser?.model.refresh();
  } catch (reason) {
    Notification.error(trans.__('Could not export the RO-Crate: %1', messageOf(reason)), {
      autoClose: 8000
    });
  }
}
