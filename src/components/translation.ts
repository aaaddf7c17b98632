import { nullTranslator, TranslationBundle } from '@jupyterlab/translation';
import { Context, createContext, useContext } from 'react';

/** The translation domain of this extension. */
export const TRANSLATION_DOMAIN = 'reana_openbis_lab';

/**
 * The translation bundle for every component of the panel.
 *
 * A context rather than a prop: deep components need it, and threading it through every
 * level would make each signature carry something it does not use.
 */
export const TranslationContext: Context<TranslationBundle> = createContext<TranslationBundle>(
  nullTranslator.load(TRANSLATION_DOMAIN)
);

/** The bundle of the panel, for `trans.__(...)`. */
export function useTranslation(): TranslationBundle {
  return useContext(TranslationContext);
}
