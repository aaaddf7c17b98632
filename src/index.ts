import { openbisSectionPlugin } from './plugins/openbisSection';
import { reanaSectionPlugin } from './plugins/reanaSection';
import { reanaSpecsPlugin } from './plugins/reanaSpecs';
import { reanaWorkflowsPlugin } from './plugins/reanaWorkflows';
import { serverInfoPlugin } from './plugins/serverInfo';
import { sidebarPlugin } from './plugins/sidebar';

export default [
  serverInfoPlugin,
  sidebarPlugin,
  openbisSectionPlugin,
  reanaSectionPlugin,
  reanaWorkflowsPlugin,
  reanaSpecsPlugin
];
