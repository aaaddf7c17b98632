import React from 'react';
import { ReactWidget } from '@jupyterlab/apputils';
import { TranslationBundle } from '@jupyterlab/translation';

import { TranslationContext } from '../components/translation';
import { ProvenanceApi } from '../provenance/api';
import { LineageModel } from '../provenance/LineageModel';
import { OpenbisClient } from './client';
import { DatasetView, IDatasetViewActions } from './components/DatasetView';
import { DatasetModel } from './DatasetModel';

/** The React body of a dataset view; holds the model the commands read (selection). */
export class DatasetPanel extends ReactWidget {
  constructor(
    readonly model: DatasetModel,
    private readonly _actions: IDatasetViewActions,
    private readonly _trans: TranslationBundle,
    readonly lineage: LineageModel
  ) {
    super();
    this.addClass('jp-ReanaOpenbis-datasetPanel');
  }

  dispose(): void {
    this.lineage.dispose();
    super.dispose();
  }

  protected render(): JSX.Element {
    return (
      <TranslationContext.Provider value={this._trans}>
        <DatasetView model={this.model} actions={this._actions} lineage={this.lineage} />
      </TranslationContext.Provider>
    );
  }
}

/** A dataset view's body, its dataset being read. */
export function createDatasetPanel(options: {
  client: OpenbisClient;
  connection: string;
  permId: string;
  actions: IDatasetViewActions;
  trans: TranslationBundle;
}): DatasetPanel {
  const model = new DatasetModel(options);
  void model.load();
  const lineage = new LineageModel(
    new ProvenanceApi(options.client.serverSettings),
    options.connection,
    options.permId
  );
  return new DatasetPanel(model, options.actions, options.trans, lineage);
}
