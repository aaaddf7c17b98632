import { JupyterFrontEnd, JupyterFrontEndPlugin } from '@jupyterlab/application';
import { ITranslator } from '@jupyterlab/translation';
import { UseSignal } from '@jupyterlab/ui-components';
import React from 'react';

import { ConnectionSection } from '../components/ConnectionSection';
import { OpenbisConnectionItem } from '../components/OpenbisConnectionItem';
import { TRANSLATION_DOMAIN } from '../components/translation';
import { createSection } from '../section';
import { IReanaOpenbisPanel } from '../tokens';

/** Where the openBIS section sits among the panel's sections. */
const SECTION_RANK = 100;

/** The openBIS section of the side panel: its connections. */
export const openbisSectionPlugin: JupyterFrontEndPlugin<void> = {
  id: 'reana-openbis-lab:openbis-section',
  description: 'The openBIS section of the side panel.',
  autoStart: true,
  requires: [IReanaOpenbisPanel, ITranslator],
  activate: (_: JupyterFrontEnd, panel: IReanaOpenbisPanel, translator: ITranslator): void => {
    const trans = translator.load(TRANSLATION_DOMAIN);
    const { connections } = panel;
    const section = createSection({
      id: 'reana-openbis-lab-openbis-section',
      label: trans.__('openBIS'),
      trans,
      hideWhenUnavailable: { signal: connections.changed, list: () => connections.openbis },
      body: (
        <UseSignal signal={connections.changed}>
          {() => (
            <ConnectionSection
              title={trans.__('openBIS')}
              list={connections.openbis}
              emptyText={trans.__('No openBIS connection yet.')}
              renderItem={connection => <OpenbisConnectionItem connection={connection} />}
            />
          )}
        </UseSignal>
      )
    });
    panel.addSection(section, SECTION_RANK);
  }
};
