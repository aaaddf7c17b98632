/**
 * The command ids of this extension, in one place because the parts call each other's
 * commands (an upload's notification opens the dataset view, a connection row mounts its
 * data store). Each part registers its own commands; callers check `hasCommand` first.
 *
 * Import as `import * as CommandIDs from '../commands'`: plain constants, not a namespace
 * object, so the bundle refers to each id by a short local name.
 */
// The panels and the connections view
export const openbisOpenPanel = 'reana-openbis-lab:openbis-open-panel';
export const reanaOpenPanel = 'reana-openbis-lab:reana-open-panel';
/** args: `{ part?: string }`: the part of the view to show (`openbis`, `reana`). */
export const openConnections = 'reana-openbis-lab:open-connections';
export const refresh = 'reana-openbis-lab:refresh';

// openBIS: connections, browsing, datasets
export const openbisAddConnection = 'reana-openbis-lab:openbis-add-connection';
/** args: `{ connection: string }` */
export const openbisEditConnection = 'reana-openbis-lab:openbis-edit-connection';
/** args: `{ connection: string }` */
export const openbisDeleteConnection = 'reana-openbis-lab:openbis-delete-connection';
/** args: `{ connection: string }` */
export const openbisLogin = 'reana-openbis-lab:openbis-login';
/** args: `{ connection: string }` */
export const openbisLogout = 'reana-openbis-lab:openbis-logout';
export const openbisSearch = 'reana-openbis-lab:openbis-search';
/** args: `{ connection: string, permId: string }` */
export const openbisOpenDataset = 'reana-openbis-lab:openbis-open-dataset';
/** args: `{ connection: string, permId: string, files?: string[], destination?: string }` */
export const openbisDownload = 'reana-openbis-lab:openbis-download';
/** args: `{ connection: string, permId: string, files?: string[] }`; asks for the folder. */
export const openbisDownloadTo = 'reana-openbis-lab:openbis-download-to';
/** args: `{ connection: string }`: show that connection's data in the tree. */
export const openbisBrowse = 'reana-openbis-lab:openbis-browse';
export const openbisRefreshTree = 'reana-openbis-lab:openbis-refresh-tree';

// openBIS: upload, mount; notebooks: requirements
/** args: `{ paths?: string[] }` (default: the file browser's selection) */
export const openbisUpload = 'reana-openbis-lab:openbis-upload';
/** args: `{ connection: string }` */
export const openbisMount = 'reana-openbis-lab:openbis-mount';
/** args: `{ connection: string }` */
export const openbisUnmount = 'reana-openbis-lab:openbis-unmount';
/** args: `{ path?: string }` (default: the active notebook) */
export const saveRequirements = 'reana-openbis-lab:save-requirements';

// Transfers
export const openTransfers = 'reana-openbis-lab:open-transfers';
export const clearTransfers = 'reana-openbis-lab:clear-transfers';

// REANA
export const reanaAddConnection = 'reana-openbis-lab:reana-add-connection';
/** args: `{ connection: string }` */
export const reanaEditConnection = 'reana-openbis-lab:reana-edit-connection';
/** args: `{ connection: string }`: list that connection's runs in the REANA panel. */
export const reanaSelectConnection = 'reana-openbis-lab:reana-select-connection';
/** args: `{ connection: string }` */
export const reanaDeleteConnection = 'reana-openbis-lab:reana-delete-connection';
/** Args: `connection`. */
export const reanaSecrets = 'reana-openbis-lab:reana-secrets';
/** Args: `connection`. */
export const reanaServerInfo = 'reana-openbis-lab:reana-server-info';
/** args: `{ connection: string, workflow: string }` (name.run or id) */
export const reanaOpenWorkflow = 'reana-openbis-lab:reana-open-workflow';
/** args: `{ path?: string }` (default: the selection or the active editor) */
export const reanaValidate = 'reana-openbis-lab:reana-validate';
/** args: `{ path?: string }` */
export const reanaRun = 'reana-openbis-lab:reana-run';
/** Start a run with openBIS datasets as inputs (from a dataset view or search results). */
export const openbisUseAsReanaInput = 'reana-openbis-lab:openbis-use-as-reana-input';
/** Publish a finished run's outputs as an openBIS dataset. */
export const reanaPublishRun = 'reana-openbis-lab:reana-publish-run';
/** Export a run, or a dataset published from one, as a Workflow Run RO-Crate. */
export const exportRoCrate = 'reana-openbis-lab:export-ro-crate';
/** The runs of the REANA section's connection, read again now. */
export const reanaRefreshRuns = 'reana-openbis-lab:reana-refresh-runs';
// These act on the current workflow view.
export const reanaStartWorkflow = 'reana-openbis-lab:reana-start-workflow';
export const reanaStopWorkflow = 'reana-openbis-lab:reana-stop-workflow';
export const reanaRestartWorkflow = 'reana-openbis-lab:reana-restart-workflow';
export const reanaDeleteWorkflow = 'reana-openbis-lab:reana-delete-workflow';
export const reanaDownloadWorkspace = 'reana-openbis-lab:reana-download-workspace';
export const reanaOpenInReana = 'reana-openbis-lab:reana-open-in-reana';
