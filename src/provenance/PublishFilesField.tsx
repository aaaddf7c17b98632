import React from 'react';

import { formatBytes } from '../components/format';
import { shownName, shownText } from '../components/names';
import { SearchCombobox } from '../components/SearchCombobox';
import { useTranslation } from '../components/translation';
import { useSignal } from '../components/hooks';
import { IWorkspaceEntry, PublishFiles } from './PublishFiles';

/**
 * The publish dialog's "Files" part: the run's declared outputs ticked, each of them can be
 * unticked, and other workspace files or folders added by searching the run's workspace.
 */
export function PublishFilesField(props: {
  files: PublishFiles;
  workflow: string;
  error?: string;
  id: string;
}): JSX.Element {
  const { files, id } = props;
  useSignal(files.changed);
  const t = useTranslation();
  return (
    <fieldset
      className="jp-ReanaOpenbis-publishFiles"
      aria-describedby={props.error ? `${id}-error` : undefined}
    >
      <legend>{t.__('Files from the workspace of %1', props.workflow)}</legend>
      {files.entries.length === 0 ? (
        <p className="jp-ReanaOpenbis-muted">
          {t.__('The specification declares no outputs: add the files to publish.')}
        </p>
      ) : (
        <ul className="jp-ReanaOpenbis-publishFileList">
          {files.entries.map(entry => (
            <li key={entry.path}>
              <label className="jp-ReanaOpenbis-checkRow" title={shownName(entry.path)}>
                <input
                  type="checkbox"
                  checked={entry.chosen}
                  onChange={event => files.toggle(entry.path, event.target.checked)}
                />
                <span>{shownName(entry.path)}</span>
              </label>
            </li>
          ))}
        </ul>
      )}
      <SearchCombobox<IWorkspaceEntry>
        model={files.search}
        keyOf={entry => entry.path}
        describe={entry => ({
          main: entry.path,
          detail: entry.path.endsWith('/')
            ? t.__('folder, with everything in it')
            : typeof entry.size === 'number'
              ? formatBytes(entry.size)
              : undefined
        })}
        isChosen={entry => files.entries.some(e => e.chosen && samePath(e.path, entry.path))}
        onPick={entry => files.add(entry.path)}
        label={t.__('Search the workspace for files to add')}
        placeholder={t.__('Add a workspace file or folder: search by path')}
        noMatch={query => t.__('No workspace file matches “%1”.', query)}
      />
      <p className="jp-ReanaOpenbis-muted">
        {t.__('The run’s provenance record and specification go into provenance/ in any case.')}
      </p>
      {props.error && (
        <div id={`${id}-error`} className="jp-ReanaOpenbis-fieldError">
          {shownText(props.error)}
        </div>
      )}
    </fieldset>
  );
}

function samePath(a: string, b: string): boolean {
  return a.replace(/\/+$/, '') === b.replace(/\/+$/, '');
}
