import { openbisDatasetsPlugin } from './plugins/openbisDatasets';
import { openbisSectionPlugin } from './plugins/openbisSection';
import { reanaSectionPlugin } from './plugins/reanaSection';
import { serverInfoPlugin } from './plugins/serverInfo';
import { sidebarPlugin } from './plugins/sidebar';

export default [
  serverInfoPlugin,
  sidebarPlugin,
  openbisSectionPlugin,
  openbisDatasetsPlugin,
  reanaSectionPlugin
];
