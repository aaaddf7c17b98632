import { JupyterFrontEnd, JupyterFrontEndPlugin } from '@jupyterlab/application';
import { ITranslator } from '@jupyterlab/translation';
import { UseSignal } from '@jupyterlab/ui-components';
import React from 'react';

import { ConnectionSection } from '../components/ConnectionSection';
import { ReanaConnectionItem } from '../components/ReanaConnectionItem';
import { TRANSLATION_DOMAIN } from '../components/translation';
import { createSection } from '../section';
import { IReanaOpenbisPanel } from '../tokens';

/** Where the REANA section sits among the panel's sections. */
const SECTION_RANK = 200;

/** The REANA section of the side panel: its connections. */
export const reanaSectionPlugin: JupyterFrontEndPlugin<void> = {
  id: 'reana-openbis-lab:reana-section',
  description: 'The REANA section of the side panel.',
  autoStart: true,
  requires: [IReanaOpenbisPanel, ITranslator],
  activate: (_: JupyterFrontEnd, panel: IReanaOpenbisPanel, translator: ITranslator): void => {
    const trans = translator.load(TRANSLATION_DOMAIN);
    const { connections } = panel;
    const section = createSection({
      id: 'reana-openbis-lab-reana-section',
      label: trans.__('REANA'),
      trans,
      hideWhenUnavailable: { signal: connections.changed, list: () => connections.reana },
      body: (
        <UseSignal signal={connections.changed}>
          {() => (
            <ConnectionSection
              title={trans.__('REANA')}
              list={connections.reana}
              emptyText={trans.__('No REANA connection yet.')}
              renderItem={connection => <ReanaConnectionItem connection={connection} />}
            />
          )}
        </UseSignal>
      )
    });
    panel.addSection(section, SECTION_RANK);
  }
};
