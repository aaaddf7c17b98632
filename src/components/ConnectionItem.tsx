import { h } from '../jsx';
import { StatusBadge, StatusTone } from './StatusBadge';

/** One connection row: name, server address and status, the same for both services. */
export function ConnectionItem(props: {
  name: string;
  url: string;
  tone: StatusTone;
  status: string;
  /** More about the status (who is logged in, the last error), shown on hover. */
  details?: string;
  /** A short tag such as "preset". */
  tag?: string;
  /** Security weaknesses the user chose or accepted, e.g. certificates not checked. */
  warnings?: readonly string[];
}): JSX.Element {
  return (
    <li className="jp-ReanaOpenbis-connection" title={props.details}>
      <div className="jp-ReanaOpenbis-connectionHeader">
        <span className="jp-ReanaOpenbis-connectionName">{props.name}</span>
        {props.tag && <span className="jp-ReanaOpenbis-tag">{props.tag}</span>}
        <StatusBadge tone={props.tone} label={props.status} />
      </div>
      <div className="jp-ReanaOpenbis-connectionUrl">{props.url}</div>
      {props.warnings?.map(warning => (
        <div key={warning} className="jp-ReanaOpenbis-connectionWarning">
          {warning}
        </div>
      ))}
    </li>
  );
}
