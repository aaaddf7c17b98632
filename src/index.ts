import { connectionsPlugin, connectionsViewPlugin } from './plugins/connections';
import { mountPlugin } from './plugins/mount';
import { openbisDatasetsPlugin } from './plugins/openbisDatasets';
import { openbisSectionPlugin } from './plugins/openbisSection';
import { reanaSectionPlugin } from './plugins/reanaSection';
import { reanaSpecsPlugin } from './plugins/reanaSpecs';
import { reanaWorkflowsPlugin } from './plugins/reanaWorkflows';
import { requirementsPlugin } from './plugins/requirements';
import { serverInfoPlugin } from './plugins/serverInfo';
import { transfersPlugin } from './plugins/transfers';
import { uploadPlugin } from './plugins/upload';

export default [
  serverInfoPlugin,
  connectionsPlugin,
  connectionsViewPlugin,
  openbisSectionPlugin,
  openbisDatasetsPlugin,
  reanaSectionPlugin,
  reanaWorkflowsPlugin,
  reanaSpecsPlugin,
  transfersPlugin,
  uploadPlugin,
  requirementsPlugin,
  mountPlugin
];
