import { downloadIcon, fileUploadIcon } from '@jupyterlab/ui-components';
import React, { useEffect, useState } from 'react';

import { formatBytes } from '../../components/format';
import { useTranslation } from '../../components/translation';
import { shownName } from '../../components/names';
import { formatTime } from '../status';
import { WorkspaceModel } from '../WorkspaceModel';
import { useDebounced, useSignal } from '../../components/hooks';
import { IWorkflowActions } from './WorkflowView';

/** The run's workspace: a searchable, paged file list; download or upload files. */
export function WorkspaceTab(props: {
  model: WorkspaceModel;
  actions: IWorkflowActions;
}): JSX.Element {
  const trans = useTranslation();
  const { model, actions } = props;
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
  return (
    <div className="jp-ReanaOpenbis-workspace">
      <div className="jp-ReanaOpenbis-workspaceToolbar">
        <input
          className="jp-mod-styled"
          type="search"
          value={search}
          maxLength={200}
          placeholder={trans.__('Search files')}
          aria-label={trans.__('Search files')}
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
        <button
          className="jp-Button jp-mod-minimal"
          disabled={total === 0}
          onClick={() => actions.download([''])}
        >
          <downloadIcon.react tag="span" />
          {trans.__('Download all')}
        </button>
        <button className="jp-Button jp-mod-minimal" onClick={actions.upload}>
          <fileUploadIcon.react tag="span" />
          {trans.__('Upload from file browser')}
        </button>
      </div>
      {model.problem && (
        <p className="jp-ReanaOpenbis-error" role="alert">
          {model.problem.message}
        </p>
      )}
      {!page ? (
        <p className="jp-ReanaOpenbis-muted">{trans.__('Loading…')}</p>
      ) : page.items.length === 0 ? (
        <p className="jp-ReanaOpenbis-muted">
          {model.search ? trans.__('No file matches.') : trans.__('The workspace is empty.')}
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
                  <code>{shownName(file.name)}</code>
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
