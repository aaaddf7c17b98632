import { shownName } from '../components/names';

/**
 * What people call a dataset, for notifications, captions and accessible names: its NAME
 * property and type ("Raw measurement 1 (RAW_DATA)"), its code when it has no name. The
 * permId goes second, where the sentence has room for it.
 */
export function datasetLabel(dataset: {
  readonly name?: string | null;
  readonly type?: string | null;
  readonly code?: string | null;
  readonly permId: string;
}): string {
  const name = dataset.name || dataset.code || dataset.permId;
  return shownName(dataset.type ? `${name} (${dataset.type})` : name);
}
