import React, { useEffect, useId, useRef, useState } from 'react';

import { SearchListModel } from '../models/SearchListModel';
import { useSignal } from './hooks';
import { useKeysAheadOfDialog } from './keysAheadOfDialog';
import { shownName } from './names';
import { useTranslation } from './translation';

/**
 * A search box whose matches open below it as a list to pick from (the ARIA combobox
 * pattern): arrow keys move the highlight, Enter picks, Escape closes the list, also inside
 * a JupyterLab dialog, whose own Enter and Escape wait while a text is typed. The focus
 * stays in the box, so several picks in a row need no mouse.
 */
export function SearchCombobox<T>(props: {
  model: SearchListModel<T>;
  /** A stable key of a match. */
  keyOf: (item: T) => string;
  /**
   * The match's first line (what users know it by) and its second, muted one: names from
   * openBIS or REANA, shown as they are (`shownName`) here.
   */
  describe: (item: T) => { main: string; detail?: string };
  /** Chosen already: marked, not picked twice. */
  isChosen: (item: T) => boolean;
  onPick: (item: T) => void;
  label: string;
  placeholder: string;
  /** What to say when nothing matches the text. */
  noMatch: (query: string) => string;
  className?: string;
}): JSX.Element {
  const { model } = props;
  useSignal(model.changed);
  const t = useTranslation();
  const id = useId();
  const input = useRef<HTMLInputElement>(null);
  const list = useRef<HTMLUListElement>(null);
  const [dismissed, setDismissed] = useState(false);
  const open = model.query.trim() !== '' && !dismissed;
  const results = model.results;
  const optionId = (index: number) => `${id}-option-${index}`;

  const pick = (item: T) => {
    if (!props.isChosen(item)) {
      props.onPick(item);
    }
    model.clear();
    input.current?.focus();
  };

  useKeysAheadOfDialog(input, event => {
    if (!open) {
      return false;
    }
    switch (event.key) {
      case 'ArrowDown':
      case 'ArrowUp':
        model.move(event.key === 'ArrowDown' ? 1 : -1);
        return true;
      case 'Enter':
        // Not the dialog's default button while a text is typed: Enter belongs to the search.
        if (model.active >= 0 && results[model.active]) {
          pick(results[model.active]);
        }
        return true;
      case 'Escape':
        setDismissed(true);
        return true;
      default:
        return false;
    }
  });

  useEffect(() => {
    list.current?.querySelector('[aria-selected="true"]')?.scrollIntoView?.({ block: 'nearest' });
  }, [model.active]);

  const status = !open
    ? ''
    : model.problem
      ? model.problem
      : model.loading
        ? t.__('Searching…')
        : model.total === 0
          ? props.noMatch(model.query.trim())
          : model.total !== null && model.total > results.length
            ? t.__(
                'The first %1 of %2 matches: type more to narrow them.',
                results.length,
                model.total
              )
            : '';
  return (
    <div className={`jp-ReanaOpenbis-combobox ${props.className ?? ''}`}>
      <input
        ref={input}
        type="search"
        className="jp-mod-styled"
        role="combobox"
        aria-label={props.label}
        aria-autocomplete="list"
        aria-expanded={open && results.length > 0}
        aria-controls={`${id}-list`}
        aria-activedescendant={open && model.active >= 0 ? optionId(model.active) : undefined}
        aria-describedby={`${id}-status`}
        placeholder={props.placeholder}
        value={model.query}
        onChange={event => {
          setDismissed(false);
          model.query = event.target.value;
        }}
      />
      {open && results.length > 0 && (
        <ul ref={list} id={`${id}-list`} role="listbox" aria-label={props.label}>
          {results.map((item, index) => {
            const chosen = props.isChosen(item);
            const { main, detail } = props.describe(item);
            return (
              <li
                key={props.keyOf(item)}
                id={optionId(index)}
                role="option"
                aria-selected={index === model.active}
                aria-disabled={chosen || undefined}
                className={index === model.active ? 'jp-mod-active' : undefined}
                // Keep the focus in the box: the click picks, the typing goes on.
                onMouseDown={event => event.preventDefault()}
                onClick={() => pick(item)}
              >
                <span className="jp-ReanaOpenbis-comboboxMain">{shownName(main)}</span>
                {(detail || chosen) && (
                  <span className="jp-ReanaOpenbis-muted">
                    {[shownName(detail), chosen ? t.__('added') : ''].filter(Boolean).join(' · ')}
                  </span>
                )}
              </li>
            );
          })}
        </ul>
      )}
      <div
        id={`${id}-status`}
        className={model.problem ? 'jp-ReanaOpenbis-fieldError' : 'jp-ReanaOpenbis-muted'}
        role="status"
      >
        {status}
      </div>
    </div>
  );
}
