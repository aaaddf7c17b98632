import React from 'react';

import { useTranslation } from '../../components/translation';
import { IReanaQuota, IReanaQuotaResource } from '../../tokens';

/**
 * The account's CPU and disk usage against its limits, in REANA's own colours for its
 * health (healthy, warning from 80 %, critical from 100 %). A server without limits
 * reports usage only: then only the usage is said, with no bar and no colour.
 */
export function QuotaMeter(props: {
  quota: IReanaQuota;
  /** On the connection line: each resource as a short bar and its share, words in tooltips. */
  compact?: boolean;
}): JSX.Element | null {
  const trans = useTranslation();
  const rows: [string, string, IReanaQuotaResource][] = [];
  if (props.quota.cpu) {
    rows.push(['cpu', trans.__('CPU'), props.quota.cpu]);
  }
  if (props.quota.disk) {
    rows.push(['disk', trans.__('Disk'), props.quota.disk]);
  }
  if (!rows.length) {
    return null;
  }
  return (
    <div
      className={`jp-ReanaOpenbis-quota${props.compact ? ' jp-mod-compact' : ''}`}
      role="group"
      aria-label={trans.__('Quota')}
    >
      {rows.map(([key, label, resource]) => (
        <QuotaRow key={key} label={label} resource={resource} compact={props.compact} />
      ))}
    </div>
  );
}

function QuotaRow(props: {
  label: string;
  resource: IReanaQuotaResource;
  compact?: boolean;
}): JSX.Element {
  const trans = useTranslation();
  const { label, resource } = props;
  const used = resource.usage?.humanReadable ?? '?';
  const limit = resource.limit?.humanReadable;
  const percent = resource.percent;
  const health = resource.health ?? (percent === null ? null : healthOf(percent));
  // Narrow panels: the share and the limit; the usage in words is in the tooltip.
  const words =
    limit && percent !== null
      ? props.compact
        ? trans.__('%1 %', formatPercent(percent))
        : trans.__('%1 % of %2', formatPercent(percent), limit)
      : props.compact
        ? used
        : trans.__('%1 used', used);
  const title = limit
    ? trans.__(
        '%1: %2 used of %3 (%4 %). REANA warns from 80 % and refuses new runs and uploads at 100 %.',
        label,
        used,
        limit,
        String(percent ?? '?')
      )
    : trans.__('%1: %2 used; this server sets no limit.', label, used);
  return (
    <div className={`jp-ReanaOpenbis-quotaRow${health ? ` jp-mod-${health}` : ''}`} title={title}>
      <span className="jp-ReanaOpenbis-quotaLabel">{label}</span>
      {limit && percent !== null ? (
        <span
          className="jp-ReanaOpenbis-quotaBar"
          role="meter"
          aria-label={trans.__('%1 quota', label)}
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={Math.min(percent, 100)}
          aria-valuetext={trans.__('%1 used of %2', used, limit)}
        >
          <span style={{ width: `${Math.min(percent, 100)}%` }} />
        </span>
      ) : null}
      <span className="jp-ReanaOpenbis-quotaWords">
        {words}
        {health && health !== 'healthy' && (
          <span className="jp-ReanaOpenbis-visuallyHidden">
            {health === 'critical' ? trans.__('(used up)') : trans.__('(nearly used up)')}
          </span>
        )}
      </span>
    </div>
  );
}

/** 88, 100, 0.4: whole numbers from 1 on, one decimal below. */
function formatPercent(percent: number): string {
  return percent >= 1 || percent === 0 ? String(Math.round(percent)) : percent.toFixed(1);
}

/** reana-db's rule, for a server that sends a limit without its verdict. */
function healthOf(percent: number): 'healthy' | 'warning' | 'critical' {
  return percent >= 100 ? 'critical' : percent >= 80 ? 'warning' : 'healthy';
}
