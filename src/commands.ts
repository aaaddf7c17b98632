/** The command ids of this extension; the palette and the panel toolbar use them. */
export namespace CommandIDs {
  export const openSidebar = 'reana-openbis-lab:open-sidebar';
  export const refresh = 'reana-openbis-lab:refresh';
}
