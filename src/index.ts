import { serverInfoPlugin } from './plugins/serverInfo';
import { sidebarPlugin } from './plugins/sidebar';

export default [serverInfoPlugin, sidebarPlugin];
