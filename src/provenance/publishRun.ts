import { JupyterFrontEnd } from '@jupyterlab/application';
import { Notification } from '@jupyterlab/apputils';
import { TranslationBundle } from '@jupyterlab/translation';

import { messageOf, requestAPI } from '../request';
import { IJobsModel, IOpenbisConnection } from '../tokens';
import { ReanaApi } from '../reana/api';
import { ProvenanceApi } from './api';
import { PublishFiles, WORKSPACE_MATCHES } from './PublishFiles';

/**
 * "Publish to openBIS…" of a finished run: the upload dialog in its publish mode, filled in
 * from the run's provenance (its declared outputs ticked, other workspace files to add,
 * parents = the run's inputs, target where they live),
 * then a job in Transfers that streams workspace -> openBIS and registers the dataset.
 */
export async function publishRun(options: {
  app: JupyterFrontEnd;
  api: ProvenanceApi;
  trans: TranslationBundle;
  connection: string;
  workflow: string;
  jobs: IJobsModel | null;
  ended: () => void;
}): Promise<void> {
  const { api, trans } = options;
  let provenance;
  let connections: IOpenbisConnection[];
  try {
    [provenance, { connections }] = await Promise.all([
      api.run(options.connection, options.workflow),
      requestAPI<{ connections: IOpenbisConnection[] }>(
        'openbis/connections',
        {},
        api.serverSettings
      )
    ]);
  } catch (reason) {
    Notification.error(trans.__('Could not read the run: %1', messageOf(reason)), {
      autoClose: 8000
    });
    return;
  }
  if (connections.length === 0) {
    Notification.warning(trans.__('Add an openBIS connection first.'), { autoClose: 5000 });
    return;
  }
  const [{ UploadFormModel }, { runUploadDialog }] = await Promise.all([
    import('../upload/UploadFormModel'),
    import('../upload/UploadDialog')
  ]);
  const reana = new ReanaApi(api.serverSettings);
  const files = new PublishFiles(provenance.outputs, search =>
    reana.listWorkspace(options.connection, options.workflow, {
      page: 1,
      size: WORKSPACE_MATCHES,
      search
    })
  );
  const model = new UploadFormModel({
    serverSettings: api.serverSettings,
    trans,
    paths: [],
    connections,
    notebook: null,
    connection: provenance.openbisConnection,
    publish: {
      reanaConnection: options.connection,
      workflow: options.workflow,
      parents: provenance.inputs.map(i => ({ permId: i.permId, type: i.type })),
      target: provenance.target,
      summary: provenance.summary,
      files
    }
  });
  void model.load();
  try {
    const job = await runUploadDialog(model, trans);
    if (!job) {
      return;
    }
    Notification.info(trans.__('Publishing %1 to openBIS (see Transfers)', options.workflow), {
      autoClose: 4000
    });
    // Transfers announces the end (with "Open dataset"); the run view only reloads.
    void options.jobs?.whenFinished(job).then(() => options.ended());
  } finally {
    model.dispose();
    files.dispose();
  }
}
