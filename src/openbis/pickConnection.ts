import { InputDialog } from '@jupyterlab/apputils';
import { TranslationBundle } from '@jupyterlab/translation';
import { ReadonlyPartialJSONObject } from '@lumino/coreutils';

import { IConnectionsModel, IOpenbisConnection } from '../tokens';

/**
 * The connection a command is about: its `connection` argument, or, from the command
 * palette, the user's pick (without asking when there is only one).
 *
 * @returns `null` when there is none or the user cancelled.
 */
export async function connectionOf(
  args: ReadonlyPartialJSONObject,
  connections: IConnectionsModel,
  trans: TranslationBundle,
  filter: (connection: IOpenbisConnection) => boolean = () => true
): Promise<IOpenbisConnection | null> {
  const list = connections.openbis.status === 'ready' ? connections.openbis.connections : [];
  if (typeof args.connection === 'string') {
    return list.find(c => c.name === args.connection) ?? null;
  }
  const candidates = list.filter(filter);
  if (candidates.length <= 1) {
    return candidates[0] ?? null;
  }
  const answer = await InputDialog.getItem({
    title: trans.__('Which openBIS connection?'),
    items: candidates.map(c => c.name),
    okLabel: trans.__('Choose'),
    cancelLabel: trans.__('Cancel')
  });
  return answer.button.accept ? (list.find(c => c.name === answer.value) ?? null) : null;
}
