import { JupyterFrontEnd } from '@jupyterlab/application';
import { MainAreaWidget, ReactWidget, WidgetTracker } from '@jupyterlab/apputils';
import { LabIcon } from '@jupyterlab/ui-components';

/**
 * A main-area view of which the app has one (the connections, the transfers): made on first
 * open, brought forward afterwards; its tracker lets the layout restorer bring it back after
 * a reload (`restorer.restore(view.tracker, ...)`).
 */
export class SingletonView {
  constructor(private readonly _options: SingletonView.IOptions) {
    this.tracker = new WidgetTracker({ namespace: _options.id });
  }

  readonly tracker: WidgetTracker<MainAreaWidget<ReactWidget>>;

  /** Show the view (made now if need be); `activate: false` opens it in the background. */
  open(activate = true): MainAreaWidget<ReactWidget> {
    const { shell } = this._options;
    let widget = this.tracker.find(() => true);
    if (!widget) {
      widget = this.#create();
      shell.add(widget, 'main', { activate });
    }
    if (activate) {
      shell.activateById(widget.id);
    }
    return widget;
  }

  #create(): MainAreaWidget<ReactWidget> {
    const { id, label, caption, icon } = this._options;
    const widget = new MainAreaWidget({ content: this._options.content() });
    widget.id = id;
    widget.title.label = label;
    widget.title.caption = caption;
    widget.title.icon = icon;
    widget.title.closable = true;
    this._options.decorate?.(widget);
    void this.tracker.add(widget);
    return widget;
  }
}

export namespace SingletonView {
  export interface IOptions {
    shell: JupyterFrontEnd.IShell;
    /** The DOM id, also the tracker's (and so the restorer's) namespace. */
    id: string;
    label: string;
    caption: string;
    icon: LabIcon;
    /** The view's body, made each time the view is. */
    content: () => ReactWidget;
    /** Add to the new view (e.g. toolbar buttons). */
    decorate?: (widget: MainAreaWidget<ReactWidget>) => void;
  }
}
