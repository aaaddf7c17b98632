/** Binary prefixes, as the sizes are computed in powers of 1024. */
const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB'];

/**
 * A byte count in the unit system of JupyterLab's file browser (1024-based, at most one
 * decimal), so a dataset, its download and the downloaded file show the same number, but
 * labelled with what is computed: 125,829,120 bytes are "120 MiB" (the file browser's
 * "120 MB" would be 126 MB), and REANA's own "2.2 GiB" reads the same here.
 * The empty string for an unknown or negative count.
 */
export function formatBytes(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined || !Number.isFinite(bytes) || bytes < 0) {
    return '';
  }
  let unit = 0;
  let value = Math.round(bytes);
  while (unit < UNITS.length - 1 && Number(value.toFixed(1)) >= 1024) {
    value /= 1024;
    unit++;
  }
  return `${Number(value.toFixed(unit === 0 ? 0 : 1))} ${UNITS[unit]}`;
}
