import { ISignal } from '@lumino/signaling';
import { useEffect, useReducer, useState } from 'react';

/**
 * Render again whenever one of `signals` fires; disconnects on unmount or when the
 * signals change. The one way components follow a model (`null` entries are skipped).
 *
 * React connects effects after the first paint, not at render: a signal fired in between
 * (an answer that arrived in that gap, such as the jobs listing at start) would be missed,
 * and the view would keep its first, empty state until the next change. So the component
 * renders once more right after connecting (not counted as a firing).
 * @returns how often they fired, for an effect that must run again on each emission.
 */
export function useSignal(...signals: (ISignal<unknown, unknown> | null | undefined)[]): number {
  const [fired, bump] = useReducer((n: number) => n + 1, 0);
  const [, renderAgain] = useReducer((n: number) => n + 1, 0);
  useEffect(() => {
    const slot = () => bump();
    const connected = signals.filter((s): s is ISignal<unknown, unknown> => !!s);
    connected.forEach(signal => signal.connect(slot));
    renderAgain();
    return () => connected.forEach(signal => signal.disconnect(slot));
    // The signals themselves are the dependencies (the spread array is new at every render).
  }, signals);
  return fired;
}

/** `value`, once it has stopped changing for `ms` (search boxes ask the server less often). */
export function useDebounced<T>(value: T, ms: number): T {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return debounced;
}

/** The current time, ticking every `ms` while `active` (running durations count up). */
export function useNow(active: boolean, ms = 1000): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    if (!active) {
      return;
    }
    const timer = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(timer);
  }, [active, ms]);
  return now;
}
