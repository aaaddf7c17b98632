import { ITranslator, nullTranslator, TranslationBundle } from '@jupyterlab/translation';
import { Context, createContext, useContext } from 'react';

import { shownText } from './names';

/** The translation domain of this extension. */
const TRANSLATION_DOMAIN = 'reana_openbis_lab';

/**
 * The extension's bundle, with one promise on top of the translator's: every value placed
 * into a sentence (`%1`) is shown as it is (`shownText`). The values are names and messages
 * from openBIS, REANA and the disk; a right-to-left override in a dataset's name must not
 * turn the notification or the accessible name it appears in around. The sentences
 * themselves are ours and left alone.
 */
export function loadTranslation(translator: ITranslator): TranslationBundle {
  const bundle = translator.load(TRANSLATION_DOMAIN);
  const shown = (args: unknown[]) =>
    args.map(arg => (typeof arg === 'string' ? shownText(arg) : arg));
  return {
    __: (msgid, ...args) => bundle.__(msgid, ...shown(args)),
    _n: (msgid, plural, n, ...args) => bundle._n(msgid, plural, n, ...shown(args)),
    _p: (context, msgid, ...args) => bundle._p(context, msgid, ...shown(args)),
    _np: (context, msgid, plural, n, ...args) =>
      bundle._np(context, msgid, plural, n, ...shown(args)),
    gettext: (msgid, ...args) => bundle.gettext(msgid, ...shown(args)),
    ngettext: (msgid, plural, n, ...args) => bundle.ngettext(msgid, plural, n, ...shown(args)),
    pgettext: (context, msgid, ...args) => bundle.pgettext(context, msgid, ...shown(args)),
    npgettext: (context, msgid, plural, n, ...args) =>
      bundle.npgettext(context, msgid, plural, n, ...shown(args)),
    dcnpgettext: (domain, context, msgid, plural, n, ...args) =>
      bundle.dcnpgettext(domain, context, msgid, plural, n, ...shown(args))
  };
}

/**
 * The translation bundle for every component of the panel.
 *
 * A context rather than a prop: deep components need it, and threading it through every
 * level would make each signature carry something it does not use.
 */
export const TranslationContext: Context<TranslationBundle> = createContext<TranslationBundle>(
  loadTranslation(nullTranslator)
);

/** The bundle of the panel, for `trans.__(...)`. */
export function useTranslation(): TranslationBundle {
  return useContext(TranslationContext);
}
