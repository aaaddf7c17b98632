import { IReanaConnection } from '../tokens';
import { ReanaApi } from './api';

/** The capability of REANA servers that create and validate runs from specification bundles. */
export const BUNDLES = 'workflow-specification-bundles-v1';

/** Whether the connection's server (as last checked) validates and loads specs itself. */
export function takesBundles(connection: IReanaConnection | null | undefined): boolean {
  return connection?.api?.capabilities.includes(BUNDLES) ?? false;
}

/** How a connection's server is described: its version, and "bundles" where it takes them. */
export function serverLabel(connection: IReanaConnection): string | null {
  const version = connection.api?.version ?? connection.account?.serverVersion;
  if (!version) {
    return null;
  }
  return `REANA ${version}`;
}

/**
 * The connection whose server should judge a spec that is not yet meant for one: the only
 * bundle server among the connections with a token, when every one of them takes bundles.
 * With a REANA 0.9 connection among them (or none), specs are validated locally by reana-client.
 */
export async function validatingConnection(api: ReanaApi): Promise<string | null> {
  try {
    const usable = (await api.listConnections()).connections.filter(c => c.hasToken);
    return usable.length === 1 && takesBundles(usable[0]) ? usable[0].name : null;
  } catch {
    return null;
  }
}
