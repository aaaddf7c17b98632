import { Button, searchIcon } from '@jupyterlab/ui-components';
import React from 'react';

import { useSignal } from '../../components/hooks';
import { shownName, shownText } from '../../components/names';
import { useTranslation } from '../../components/translation';
import { BrowserModel } from '../BrowserModel';
import { IOpenbisDataset } from '../types';
import { shortDate } from './format';
import { ITreeActions, OpenbisTree } from './OpenbisTree';

/** The DOM id of the search input, for the "Search openBIS" command. */
export const SEARCH_INPUT_ID = 'jp-ReanaOpenbis-search';

/**
 * Browse one connection: a search box (datasets, searched by openBIS), the path of the
 * selected node, and the tree or, while searching, the results.
 */
export function OpenbisBrowser(props: { model: BrowserModel; actions: ITreeActions }): JSX.Element {
  const trans = useTranslation();
  const { model, actions } = props;
  useSignal(model.changed);
  if (model.connection === null) {
    return (
      <p className="jp-ReanaOpenbis-muted jp-ReanaOpenbis-browserEmpty">
        {trans.__('Log in to an openBIS connection to browse its data.')}
      </p>
    );
  }
  const searching = model.search.query !== '';
  return (
    <div className="jp-ReanaOpenbis-browser">
      <SearchBox model={model} />
      {searching ? (
        <SearchResults model={model} actions={actions} />
      ) : (
        <>
          <Breadcrumb model={model} />
          <OpenbisTree model={model} actions={actions} />
        </>
      )}
    </div>
  );
}

function SearchBox(props: { model: BrowserModel }): JSX.Element {
  const trans = useTranslation();
  const { model } = props;
  const [text, setText] = React.useState(model.search.query);
  React.useEffect(() => setText(model.search.query), [model.connection]);
  return (
    <div className="jp-ReanaOpenbis-search">
      <searchIcon.react tag="span" className="jp-ReanaOpenbis-searchIcon" />
      <input
        id={SEARCH_INPUT_ID}
        type="search"
        className="jp-mod-styled"
        placeholder={trans.__('Search datasets')}
        title={trans.__('Search the datasets by code, name or property value')}
        aria-label={trans.__('Search openBIS datasets')}
        value={text}
        maxLength={200}
        onChange={event => {
          setText(event.target.value);
          model.setSearch(event.target.value);
        }}
        onKeyDown={event => {
          if (event.key === 'Escape') {
            setText('');
            model.setSearch('');
          }
        }}
      />
    </div>
  );
}

function Breadcrumb(props: { model: BrowserModel }): JSX.Element {
  const trans = useTranslation();
  const { model } = props;
  const selected = model.selected;
  // Always there, so selecting the first row does not push the tree down under the pointer.
  if (!selected) {
    return (
      <nav aria-label={trans.__('Selected path')} className="jp-ReanaOpenbis-breadcrumb">
        <span className="jp-ReanaOpenbis-muted">{trans.__('Nothing selected')}</span>
      </nav>
    );
  }
  const path = model.pathOf(selected);
  return (
    <nav aria-label={trans.__('Selected path')} className="jp-ReanaOpenbis-breadcrumb">
      <ol>
        {path.map(node => (
          <li key={node.key}>
            <button
              type="button"
              className="jp-ReanaOpenbis-link jp-ReanaOpenbis-crumb"
              aria-current={node === selected ? 'location' : undefined}
              onClick={() => model.select(node.key)}
            >
              {shownName(
                node.kind === 'dataset' ? (node.entity.name ?? node.entity.code) : node.entity.code
              )}
            </button>
          </li>
        ))}
      </ol>
    </nav>
  );
}

function SearchResults(props: { model: BrowserModel; actions: ITreeActions }): JSX.Element {
  const trans = useTranslation();
  const { model, actions } = props;
  const search = model.search;
  const problem = search.problem;
  return (
    <div className="jp-ReanaOpenbis-results">
      <div className="jp-ReanaOpenbis-muted" role="status">
        {search.total === null
          ? trans.__('Searching…')
          : trans._n('%1 dataset found', '%1 datasets found', search.total)}
      </div>
      {problem && (
        <p className="jp-ReanaOpenbis-error" role="alert">
          {shownText(problem.message)}{' '}
          {problem.kind === 'login-required' && (
            <Button small onClick={() => actions.login()}>
              {trans.__('Log in again')}
            </Button>
          )}
        </p>
      )}
      <PickedBar model={model} actions={actions} />
      <ul
        aria-label={trans.__('Search results')}
        className="jp-ReanaOpenbis-resultList jp-ReanaOpenbis-fill"
      >
        {search.items.map(dataset => (
          <ResultItem
            key={dataset.permId}
            dataset={dataset}
            picked={model.isPicked(dataset.permId)}
            onPick={() => model.togglePicked(dataset)}
            onOpen={actions.openDataset}
          />
        ))}
      </ul>
      {search.total !== null && search.items.length < search.total && (
        <Button
          small
          minimal
          disabled={search.loading}
          onClick={() => void model.loadMoreResults()}
        >
          {search.loading
            ? trans.__('Loading…')
            : trans.__(
                'Load more (%1 of %2 shown)',
                search.items.length.toLocaleString(),
                search.total.toLocaleString()
              )}
        </Button>
      )}
    </div>
  );
}

/** What can be done with the ticked results at once; nothing shows while none is ticked. */
function PickedBar(props: { model: BrowserModel; actions: ITreeActions }): JSX.Element | null {
  const trans = useTranslation();
  const { model, actions } = props;
  const picked = model.picked;
  if (picked.length === 0) {
    return null;
  }
  return (
    <div
      className="jp-ReanaOpenbis-pickedBar"
      role="group"
      aria-label={trans.__('Ticked datasets')}
    >
      <span title={picked.map(d => shownName(d.name ?? d.code)).join('\n')}>
        {trans._n('%1 ticked', '%1 ticked', picked.length)}
      </span>
      <Button
        small
        className="jp-mod-styled jp-mod-accept"
        onClick={() => actions.useAsReanaInput(picked)}
      >
        {trans.__('Use as REANA input…')}
      </Button>
      <Button small minimal onClick={() => model.clearPicked()}>
        {trans.__('Clear')}
      </Button>
    </div>
  );
}

function ResultItem(props: {
  dataset: IOpenbisDataset;
  picked: boolean;
  onPick: () => void;
  onOpen: (permId: string) => void;
}): JSX.Element {
  const trans = useTranslation();
  const { dataset } = props;
  const where = shownName(dataset.object ?? dataset.collection ?? '');
  const name = shownName(dataset.name ?? dataset.code);
  return (
    <li className="jp-ReanaOpenbis-resultRow">
      <input
        type="checkbox"
        className="jp-ReanaOpenbis-resultPick"
        checked={props.picked}
        onChange={props.onPick}
        aria-label={trans.__('Tick %1', name)}
        title={trans.__('Tick it to use it, with the others ticked, as a REANA input')}
      />
      <button
        type="button"
        className="jp-ReanaOpenbis-result"
        title={trans.__('Open dataset %1 (%2)', name, dataset.permId)}
        onClick={() => props.onOpen(dataset.permId)}
      >
        <span className="jp-ReanaOpenbis-resultTitle">
          <span className="jp-ReanaOpenbis-treeCode">{name}</span>
          {dataset.status === 'ARCHIVED' && (
            <span className="jp-ReanaOpenbis-tag jp-mod-warn">{trans.__('archived')}</span>
          )}
          <span className="jp-ReanaOpenbis-treeType jp-ReanaOpenbis-resultType">
            {shownName(dataset.type)}
          </span>
          <span className="jp-ReanaOpenbis-treeDate">{shortDate(dataset.registrationDate)}</span>
        </span>
        <span className="jp-ReanaOpenbis-resultPath">{where}</span>
      </button>
    </li>
  );
}
