import { TranslationBundle } from '@jupyterlab/translation';

/** A registration date as a short local date; the empty string when unknown or invalid. */
export function shortDate(iso: string | null | undefined): string {
  if (!iso) {
    return '';
  }
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? '' : date.toLocaleDateString();
}

/** A date with its time, for tooltips and the dataset view. */
export function longDate(iso: string | null | undefined): string {
  if (!iso) {
    return '';
  }
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString();
}

const UNITS = ['B', 'KB', 'MB', 'GB', 'TB'];

/** Bytes in the largest unit that keeps the number at least 1 (1024-based, as file browsers show). */
export function formatBytes(bytes: number | null | undefined, trans: TranslationBundle): string {
  if (bytes === null || bytes === undefined || bytes < 0) {
    return '';
  }
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  const number = unit === 0 ? String(value) : value.toFixed(value < 10 ? 1 : 0);
  return trans.__('%1 %2', number, UNITS[unit]);
}
