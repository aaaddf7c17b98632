import { RefObject, useEffect, useRef } from 'react';

/**
 * Let a field inside a JupyterLab dialog handle keys the dialog would take first.
 *
 * `Dialog` listens for keys in the capture phase on its own node: Enter in any input
 * accepts the dialog and Escape closes it, before a field's React handler runs. A search
 * box whose Enter picks a result (or whose Escape closes its list) must see those keys
 * first, so this listens in the capture phase on `window`, which comes before the dialog's
 * node, and only for keys aimed at `target`. `handle` returns true when it used the key:
 * then neither the dialog nor anyone else gets it.
 */
export function useKeysAheadOfDialog(
  target: RefObject<HTMLElement>,
  handle: (event: KeyboardEvent) => boolean
): void {
  const latest = useRef(handle);
  latest.current = handle;
  useEffect(() => {
    const listener = (event: KeyboardEvent) => {
      if (event.target === target.current && latest.current(event)) {
        event.preventDefault();
        event.stopPropagation();
      }
    };
    window.addEventListener('keydown', listener, true);
    return () => window.removeEventListener('keydown', listener, true);
  }, [target]);
}
