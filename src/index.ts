import { openbisSectionPlugin } from './plugins/openbisSection';
import { reanaSectionPlugin } from './plugins/reanaSection';
import { serverInfoPlugin } from './plugins/serverInfo';
import { sidebarPlugin } from './plugins/sidebar';
import { transfersPlugin } from './plugins/transfers';

export default [
  serverInfoPlugin,
  sidebarPlugin,
  openbisSectionPlugin,
  reanaSectionPlugin,
  transfersPlugin
];
