import React from 'react';
import { Dialog, ReactWidget, showDialog } from '@jupyterlab/apputils';
import { TranslationBundle } from '@jupyterlab/translation';

import { TranslationContext } from '../components/translation';
import { IJob } from '../tokens';
import { UploadForm } from './UploadForm';
import { UploadFormModel } from './UploadFormModel';

/** The dialog's body: the form over its model, which outlives the dialog. */
class UploadBody extends ReactWidget {
  constructor(
    private readonly _model: UploadFormModel,
    private readonly _trans: TranslationBundle
  ) {
    super();
    this.addClass('jp-ReanaOpenbis-uploadDialog');
  }

  getValue(): UploadFormModel {
    return this._model;
  }

  protected render(): JSX.Element {
    return (
      <TranslationContext.Provider value={this._trans}>
        <UploadForm model={this._model} />
      </TranslationContext.Provider>
    );
  }
}

/**
 * Ask for the upload's metadata and start it. A refusal (by the form or the server)
 * opens the dialog again with every value kept and the errors on their fields.
 *
 * @returns the started job, or `null` when the user cancelled.
 */
export async function runUploadDialog(
  model: UploadFormModel,
  trans: TranslationBundle
): Promise<IJob | null> {
  for (;;) {
    const result = await showDialog({
      title: model.publish ? trans.__('Publish to openBIS') : trans.__('Upload to openBIS'),
      body: new UploadBody(model, trans),
      buttons: [
        Dialog.cancelButton(),
        Dialog.okButton({ label: model.publish ? trans.__('Publish') : trans.__('Upload') })
      ],
      focusNodeSelector: 'select, input',
      hasClose: true
    });
    if (!result.button.accept) {
      return null;
    }
    const job = await model.submit();
    if (job) {
      return job;
    }
  }
}
