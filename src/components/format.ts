import { formatFileSize } from '@jupyterlab/filebrowser';

/**
 * A byte count as JupyterLab's file browser shows sizes (1024-based, one decimal, e.g.
 * `2.8 KB`), so a dataset, its download and the downloaded file all read the same.
 * The empty string for an unknown or negative count.
 */
export function formatBytes(bytes: number | null | undefined): string {
  return bytes === null || bytes === undefined || bytes < 0 ? '' : formatFileSize(bytes, 1, 1024);
}
