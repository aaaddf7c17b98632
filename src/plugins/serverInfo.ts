import { JupyterFrontEnd, JupyterFrontEndPlugin } from '@jupyterlab/application';

import { ServerInfoModel } from '../models/ServerInfoModel';
import { IServerInfoModel } from '../tokens';

/**
 * Provides the version handshake, started as early as possible so its answer is usually
 * there before the user opens the panel.
 */
export const serverInfoPlugin: JupyterFrontEndPlugin<IServerInfoModel> = {
  id: 'reana-openbis-lab:server-info',
  description:
    'Checks that the reana_openbis_lab server extension runs and comes from the same release as this frontend.',
  autoStart: true,
  provides: IServerInfoModel,
  requires: [],
  optional: [],
  activate: (app: JupyterFrontEnd): IServerInfoModel => {
    const model = new ServerInfoModel({ serverSettings: app.serviceManager.serverSettings });
    void model.check();
    return model;
  }
};
