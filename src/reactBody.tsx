import React from 'react';
import { ReactWidget } from '@jupyterlab/apputils';
import { TranslationBundle } from '@jupyterlab/translation';

import { TranslationContext } from './components/translation';

/** A widget rendering `element` with the translation bundle in its context, with a CSS class. */
export function reactBody(
  trans: TranslationBundle,
  element: JSX.Element,
  className: string
): ReactWidget {
  const widget = ReactWidget.create(
    <TranslationContext.Provider value={trans}>{element}</TranslationContext.Provider>
  );
  widget.addClass(className);
  return widget;
}
