import { Button, copyIcon, downloadIcon } from '@jupyterlab/ui-components';
import React from 'react';

import { FactList } from '../../components/FactList';
import { useSignal } from '../../components/hooks';
import { shownName, shownText } from '../../components/names';
import { useTranslation } from '../../components/translation';
import { DatasetModel } from '../DatasetModel';
import { IOpenbisDatasetLink, IOpenbisFileNode } from '../types';
import { formatBytes } from '../../components/format';
import { longDate } from './format';
import { ILineageNode } from '../../provenance/api';
import { LineageGraph } from '../../provenance/LineageGraph';
import { LineageModel } from '../../provenance/LineageModel';

/** What the view asks its owner for. */
export interface IDatasetViewActions {
  openDataset(permId: string): void;
  /** Download the picked files (all when empty) into the file browser's folder. */
  download(files: string[]): void;
  /** The same, into a folder the user picks. */
  downloadTo(files: string[]): void;
  copy(text: string): void;
  /** Log the dataset's connection in again after its session ended. */
  login(): void;
  /** Start a REANA run with this dataset streamed into its workspace. */
  useAsReanaInput(): void;
  /** Open the REANA run that made a dataset (a lineage node). */
  openRun(node: ILineageNode): void;
  /** Write the dataset's Workflow Run RO-Crate (published from a run) into the file browser's folder. */
  exportCrate(): void;
}

/** Folders this deep start open; deeper ones open on demand. */
const OPEN_DEPTH = 3;

/**
 * One dataset: who and what it is, its properties by their labels, its lineage (each a link
 * to its own view) and its files with sizes, any of which can be picked for download.
 */
export function DatasetView(props: {
  model: DatasetModel;
  actions: IDatasetViewActions;
  lineage?: LineageModel;
}): JSX.Element {
  const trans = useTranslation();
  const { model, actions } = props;
  useSignal(model.changed);
  const { detail, files, problem } = model;
  if (problem) {
    return (
      <div className="jp-ReanaOpenbis-dataset">
        <p className="jp-ReanaOpenbis-error" role="alert">
          {trans.__('Could not read dataset %1: %2', model.permId, problem.message)}
        </p>
        {problem.kind === 'login-required' && (
          <Button onClick={() => actions.login()}>{trans.__('Log in again')}</Button>
        )}
        <Button minimal onClick={() => void model.load()}>
          {trans.__('Retry')}
        </Button>
      </div>
    );
  }
  if (!detail) {
    return (
      <div className="jp-ReanaOpenbis-dataset">
        <p className="jp-ReanaOpenbis-muted">{trans.__('Loading dataset %1…', model.permId)}</p>
      </div>
    );
  }
  const selection = model.selection;
  // A property the dataset's type has but this dataset leaves empty says nothing: left out.
  const properties = (detail.labelledProperties ?? []).filter(p => (p.value ?? '').trim() !== '');
  const archived = detail.status === 'ARCHIVED';
  const facts: [string, React.ReactNode][] = [
    [trans.__('Type'), detail.type],
    [trans.__('Code'), detail.code],
    [trans.__('Collection'), detail.collection],
    [trans.__('Object'), detail.object],
    [
      trans.__('Registered'),
      joinBy(longDate(detail.registrationDate), detail.registrator, trans.__('by'))
    ],
    [
      trans.__('Modified'),
      joinBy(longDate(detail.modificationDate), detail.modifier, trans.__('by'))
    ],
    [trans.__('Size'), formatBytes(detail.size ?? files?.totalSize)],
    [trans.__('Status'), detail.status],
    [trans.__('Tags'), detail.tags?.join(', ')]
  ];
  return (
    <div className="jp-ReanaOpenbis-dataset">
      <header className="jp-ReanaOpenbis-datasetHeader">
        <h1>{shownName(detail.name ?? detail.code)}</h1>
        {archived && (
          <span className="jp-ReanaOpenbis-tag jp-mod-warn">{trans.__('archived')}</span>
        )}
        <div className="jp-ReanaOpenbis-permId">
          <code>{shownName(detail.permId)}</code>
          <Button
            small
            minimal
            className="jp-ReanaOpenbis-iconButton"
            title={trans.__('Copy the permId')}
            aria-label={trans.__('Copy the permId')}
            onClick={() => actions.copy(detail.permId)}
          >
            <copyIcon.react tag="span" elementSize="normal" />
          </Button>
        </div>
      </header>
      <div className="jp-ReanaOpenbis-datasetActions">
        <Button className="jp-mod-styled jp-mod-accept" onClick={() => actions.download(selection)}>
          <downloadIcon.react tag="span" elementSize="normal" />
          {selection.length > 0
            ? trans._n('Download %1 selected item', 'Download %1 selected items', selection.length)
            : trans.__('Download')}
        </Button>
        <Button minimal onClick={() => actions.downloadTo(selection)}>
          {trans.__('Download to…')}
        </Button>
        {selection.length > 0 && (
          <Button minimal onClick={() => model.clearSelection()}>
            {trans.__('Clear selection')}
          </Button>
        )}
        <Button minimal onClick={() => actions.useAsReanaInput()}>
          {trans.__('Use as REANA input…')}
        </Button>
        <Button
          minimal
          title={trans.__('For a dataset published from a REANA run: the run as an RO-Crate')}
          onClick={() => actions.exportCrate()}
        >
          {trans.__('Export RO-Crate')}
        </Button>
      </div>
      <section aria-label={trans.__('About')}>
        <FactList facts={facts} />
      </section>
      {properties.length > 0 && (
        <section>
          <h2>{trans.__('Properties')}</h2>
          <table className="jp-ReanaOpenbis-properties">
            <tbody>
              {properties.map(property => (
                <tr key={property.code}>
                  <th scope="row" title={shownName(property.code)}>
                    {shownName(property.label)}
                  </th>
                  <td>{shownText(property.value ?? '')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
      {props.lineage && (
        <section>
          <h2>{trans.__('Lineage')}</h2>
          <LineageGraph
            model={props.lineage}
            actions={{ openDataset: actions.openDataset, openRun: actions.openRun }}
          />
        </section>
      )}
      <Lineage title={trans.__('Parents')} links={detail.parents} onOpen={actions.openDataset} />
      <Lineage title={trans.__('Children')} links={detail.children} onOpen={actions.openDataset} />
      <section>
        <h2>
          {files
            ? trans.__(
                'Files (%1, %2)',
                files.fileCount.toLocaleString(),
                formatBytes(files.totalSize)
              )
            : trans.__('Files')}
        </h2>
        {files?.truncated && (
          <p className="jp-ReanaOpenbis-muted">
            {trans.__(
              'Only the first 20,000 entries are listed; downloading the whole dataset gets them all.'
            )}
          </p>
        )}
        {files && (
          <ul
            className="jp-ReanaOpenbis-files"
            aria-label={trans.__('Files of %1', detail.name ?? detail.code)}
          >
            {files.files.map(node => (
              <FileNode key={node.path} node={node} model={model} depth={1} />
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}

function joinBy(date: string, who: string | null | undefined, by: string): string {
  return who ? `${date} ${by} ${who}` : date;
}

function Lineage(props: {
  title: string;
  links: readonly IOpenbisDatasetLink[] | undefined;
  onOpen: (permId: string) => void;
}): JSX.Element | null {
  const trans = useTranslation();
  if (!props.links || props.links.length === 0) {
    return null;
  }
  return (
    <section>
      <h2>{props.title}</h2>
      <ul className="jp-ReanaOpenbis-lineage" aria-label={props.title}>
        {props.links.map(link => (
          <li key={link.permId}>
            <button
              type="button"
              className="jp-ReanaOpenbis-link"
              title={trans.__('Open dataset %1', link.name ?? link.type ?? link.permId)}
              onClick={() => props.onOpen(link.permId)}
            >
              {shownName(link.name ?? link.type ?? link.permId)}
            </button>
            <span className="jp-ReanaOpenbis-muted">
              {link.name && shownName(link.type)} <code>{shownName(link.permId)}</code>
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}

function FileNode(props: {
  node: IOpenbisFileNode;
  model: DatasetModel;
  depth: number;
}): JSX.Element {
  const trans = useTranslation();
  const { node, model } = props;
  const checkbox = (
    <input
      type="checkbox"
      aria-label={trans.__('Select %1', node.path)}
      checked={model.isSelected(node.path)}
      disabled={model.isCoveredByFolder(node.path)}
      onChange={() => model.toggle(node.path)}
      onClick={event => event.stopPropagation()}
    />
  );
  const line = (
    <>
      {checkbox}
      <span className="jp-ReanaOpenbis-fileName">{shownName(node.name)}</span>
      <span className="jp-ReanaOpenbis-fileSize">{formatBytes(node.size)}</span>
    </>
  );
  if (!node.directory) {
    return <li className="jp-ReanaOpenbis-file">{line}</li>;
  }
  return (
    <li className="jp-ReanaOpenbis-folder">
      <details open={props.depth < OPEN_DEPTH}>
        <summary>{line}</summary>
        <ul>
          {node.children?.map(child => (
            <FileNode key={child.path} node={child} model={model} depth={props.depth + 1} />
          ))}
        </ul>
      </details>
    </li>
  );
}
