import { Signal } from '@lumino/signaling';

/**
 * Emitted by any part of the REANA UI after it changed runs on a server (started,
 * stopped, deleted), with the connection's name, so run lists refresh at once instead of
 * at their next poll.
 */
export const runsChanged = new Signal<object, string>({});
