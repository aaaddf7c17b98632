import { TranslationBundle } from '@jupyterlab/translation';
import { downloadIcon, fileUploadIcon } from '@jupyterlab/ui-components';
import React, { useEffect, useState } from 'react';

import { formatBytes } from '../../components/format';
import { useTranslation } from '../../components/translation';
import { shownName } from '../../components/names';
import { IRetention, IWorkspaceFile } from '../api';
import { formatDate, formatTime } from '../status';
import { WorkspaceModel } from '../WorkspaceModel';
import { useDebounced, useSignal } from '../../components/hooks';
import { IWorkflowActions } from './WorkflowView';

/** REANA's default rule: the server's retention period for every file of a run. */
const EVERY_FILE = '**/*';
/** Rules whose files are still to go. */
const PENDING = ['created', 'active', 'pending'];

/**
 * The run's workspace: a paged file list searched (a part of the path, or a glob) and
 * narrowed to a folder by REANA; download files, folders (one stream each) or the spec's
 * declared outputs; upload from the file browser. Files REANA will delete under a retention
 * rule are marked with the day.
 */
export function WorkspaceTab(props: {
  model: WorkspaceModel;
  actions: IWorkflowActions;
  /** The spec's `outputs.files` and `outputs.directories` (none: no button). */
  outputs: readonly string[];
  /** The run's retention rules; the server's rule for every file is said once, above. */
  retention?: IRetention | null;
}): JSX.Element {
  const trans = useTranslation();
  const { model, actions, outputs } = props;
  useSignal(model.changed);
  const [search, setSearch] = useState(model.search);
  const debounced = useDebounced(search, 300);
  useEffect(() => {
    if (!model.page || debounced !== model.search) {
      void model.load(1, debounced);
    }
  }, [debounced, model]);
  const page = model.page;
  const total = page?.total ?? 0;
  const pages = Math.max(1, Math.ceil(total / model.pageSize));
  const selected = [...model.selected];
  const folder = model.folder;
  return (
    <div className="jp-ReanaOpenbis-workspace">
      <div className="jp-ReanaOpenbis-workspaceToolbar">
        <input
          className="jp-mod-styled"
          type="search"
          value={search}
          maxLength={200}
          placeholder={trans.__('Search or glob, e.g. **/*.csv')}
          aria-label={trans.__('Search files')}
          title={trans.__(
            'A part of the path, or a glob: * stays in one folder, ** crosses folders'
          )}
          onChange={e => setSearch(e.target.value)}
        />
        <button
          className="jp-Button jp-mod-styled jp-mod-accept"
          disabled={selected.length === 0}
          onClick={() => actions.download(selected)}
        >
          <downloadIcon.react tag="span" />
          {trans.__('Download selected (%1)', selected.length)}
        </button>
        {outputs.length > 0 && (
          <button
            className="jp-Button jp-mod-minimal"
            disabled={total === 0 && !folder && !search}
            title={trans.__('The outputs the specification declares: %1', outputs.join(', '))}
            onClick={() => actions.download([...outputs])}
          >
            <downloadIcon.react tag="span" />
            {trans.__('Download outputs')}
          </button>
        )}
        <button
          className="jp-Button jp-mod-minimal"
          disabled={total === 0}
          onClick={() => actions.download([folder])}
        >
          <downloadIcon.react tag="span" />
          {folder ? trans.__('Download %1/', folder) : trans.__('Download all')}
        </button>
        <button className="jp-Button jp-mod-minimal" onClick={actions.upload}>
          <fileUploadIcon.react tag="span" />
          {trans.__('Upload from file browser')}
        </button>
      </div>
      {folder && <FolderPath folder={folder} onOpen={f => void model.openFolder(f)} />}
      <EveryFileRule retention={props.retention} />
      {model.problem && (
        <p className="jp-ReanaOpenbis-error" role="alert">
          {model.problem.message}
        </p>
      )}
      {!page ? (
        <p className="jp-ReanaOpenbis-muted">{trans.__('Loading…')}</p>
      ) : page.items.length === 0 ? (
        <p className="jp-ReanaOpenbis-muted">
          {model.search || folder
            ? trans.__('No file matches.')
            : trans.__('The workspace is empty.')}
        </p>
      ) : (
        <table
          className="jp-ReanaOpenbis-table jp-ReanaOpenbis-workspaceFiles"
          aria-label={trans.__('Workspace files')}
        >
          <thead>
            <tr>
              <th />
              <th scope="col">{trans.__('Name')}</th>
              <th scope="col">{trans.__('Size')}</th>
              <th scope="col">{trans.__('Modified')}</th>
            </tr>
          </thead>
          <tbody>
            {page.items.map(file => (
              <tr key={file.name}>
                <td>
                  <input
                    type="checkbox"
                    aria-label={trans.__('Select %1', file.name)}
                    checked={model.selected.has(file.name)}
                    onChange={e => model.toggle(file.name, e.target.checked)}
                  />
                </td>
                <td>
                  <FilePath
                    file={file}
                    folder={folder}
                    onOpen={f => void model.openFolder(f)}
                    trans={trans}
                  />
                </td>
                <td>{formatBytes(file.size) || file.sizeHuman}</td>
                <td>{formatTime(file.lastModified)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {total > model.pageSize && (
        <div className="jp-ReanaOpenbis-pager">
          <button
            className="jp-Button jp-mod-minimal"
            disabled={model.pageNumber <= 1}
            onClick={() => void model.load(model.pageNumber - 1)}
          >
            {trans.__('Previous')}
          </button>
          <span>{trans.__('Page %1 of %2 (%3 files)', model.pageNumber, pages, total)}</span>
          <button
            className="jp-Button jp-mod-minimal"
            disabled={model.pageNumber >= pages}
            onClick={() => void model.load(model.pageNumber + 1)}
          >
            {trans.__('Next')}
          </button>
        </div>
      )}
    </div>
  );
}

/** REANA's rule for every file (the server's retention period), said once for the list. */
function EveryFileRule(props: { retention?: IRetention | null }): JSX.Element | null {
  const trans = useTranslation();
  const rule = props.retention?.rules.find(
    r => r.pattern === EVERY_FILE && PENDING.includes(r.status)
  );
  if (!rule) {
    return null;
  }
  return (
    <p className="jp-ReanaOpenbis-muted">
      {rule.applyOn
        ? trans.__(
            'REANA deletes every file of this run on %1; files marked below go sooner.',
            formatDate(rule.applyOn)
          )
        : trans._n(
            'REANA deletes every file of this run %1 day after it ends; files marked below go sooner.',
            'REANA deletes every file of this run %1 days after it ends; files marked below go sooner.',
            rule.days ?? 0
          )}
    </p>
  );
}

/** Where the list is narrowed to: each level leads back up. */
function FolderPath(props: { folder: string; onOpen: (folder: string) => void }): JSX.Element {
  const trans = useTranslation();
  const parts = props.folder.split('/');
  return (
    <nav className="jp-ReanaOpenbis-folderPath" aria-label={trans.__('Folder')}>
      <button className="jp-ReanaOpenbis-link" onClick={() => props.onOpen('')}>
        {trans.__('Workspace')}
      </button>
      {parts.map((part, i) => (
        <React.Fragment key={i}>
          <span aria-hidden="true">/</span>
          {i === parts.length - 1 ? (
            <span aria-current="location">{part}</span>
          ) : (
            <button
              className="jp-ReanaOpenbis-link"
              onClick={() => props.onOpen(parts.slice(0, i + 1).join('/'))}
            >
              {shownName(part)}
            </button>
          )}
        </React.Fragment>
      ))}
    </nav>
  );
}

/** A file's path: its folders (below the open one) open them; a retention mark after it. */
function FilePath(props: {
  file: IWorkspaceFile;
  folder: string;
  onOpen: (folder: string) => void;
  trans: TranslationBundle;
}): JSX.Element {
  const { file, folder, trans } = props;
  const inside = folder ? file.name.slice(folder.length + 1) : file.name;
  const parts = inside.split('/');
  const base = folder ? `${folder}/` : '';
  // The rule for every file is said once above the list; only sooner ones mark a file.
  const rule = file.retention?.pattern === EVERY_FILE ? null : file.retention;
  return (
    <span className="jp-ReanaOpenbis-filePath">
      <code>
        {parts.slice(0, -1).map((part, i) => (
          <React.Fragment key={i}>
            <button
              className="jp-ReanaOpenbis-link"
              title={trans.__('Show only %1/', base + parts.slice(0, i + 1).join('/'))}
              onClick={() => props.onOpen(base + parts.slice(0, i + 1).join('/'))}
            >
              {shownName(part)}
            </button>
            /
          </React.Fragment>
        ))}
        {shownName(parts[parts.length - 1])}
      </code>
      {rule && (
        <span
          className="jp-ReanaOpenbis-tag jp-mod-warn jp-ReanaOpenbis-expires"
          title={trans.__(
            'REANA deletes the files matching %1 %2 after the run ended',
            rule.pattern,
            rule.days === null ? '' : trans._n('%1 day', '%1 days', rule.days)
          )}
        >
          {rule.applyOn
            ? trans.__('expires %1', formatDate(rule.applyOn))
            : rule.days === null
              ? trans.__('expires')
              : trans._n(
                  'expires %1 day after the end',
                  'expires %1 days after the end',
                  rule.days
                )}
        </span>
      )}
    </span>
  );
}
