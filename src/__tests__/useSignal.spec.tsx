import { ReactWidget } from '@jupyterlab/ui-components';
import { MessageLoop } from '@lumino/messaging';
import { Signal } from '@lumino/signaling';
import { Widget } from '@lumino/widgets';
import React, { act, useLayoutEffect } from 'react';

import { useSignal } from '../components/hooks';

// React's `act` flushes renders and effects before it returns, in this environment too.
(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

/** A model whose value changes with a signal, as the jobs model's list does. */
class Model {
  value = 'empty';
  readonly changed = new Signal<this, void>(this);
  set(value: string): void {
    this.value = value;
    this.changed.emit();
  }
}

function Shown(props: { model: Model }): JSX.Element {
  useSignal(props.model.changed);
  return <span>{props.model.value}</span>;
}

/** Changes the model after the first render but before effects connect (a layout effect). */
function ChangesEarly(props: { model: Model }): null {
  useLayoutEffect(() => props.model.set('six jobs'), []);
  return null;
}

describe('useSignal', () => {
  it('shows a change that came between the first render and the connection', async () => {
    // The Transfers race: the listing at start answered after the section first rendered
    // (empty) but before React connected it to the model; it stayed empty until a new event.
    const model = new Model();
    // Rendered as JupyterLab renders the panel's sections: a ReactWidget.
    const widget = ReactWidget.create(
      <>
        <Shown model={model} />
        <ChangesEarly model={model} />
      </>
    );
    const host = widget.node;
    await act(async () => {
      Widget.attach(widget, document.body);
      MessageLoop.sendMessage(widget, Widget.Msg.UpdateRequest);
    });
    expect(host.textContent).toBe('six jobs');
    await act(async () => model.set('seven jobs'));
    expect(host.textContent).toBe('seven jobs');
    await act(async () => widget.dispose());
  });
});
