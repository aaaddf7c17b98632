import React, { useRef } from 'react';
import { Button, caretDownEmptyIcon, settingsIcon } from '@jupyterlab/ui-components';
import { CommandRegistry } from '@lumino/commands';
import { Menu } from '@lumino/widgets';

import type { ReactNode } from 'react';

import { IconButton } from './IconButton';
import { shownName } from './names';
import { StatusTone } from './StatusBadge';
import { useTranslation } from './translation';

/** A connection as the switcher shows it. */
export interface IConnectionChoice {
  readonly name: string;
  readonly tone: StatusTone;
  /** The state in words ("Connected as alice", "Session expired"). */
  readonly status: string;
  /** Who is logged in, when known: shown beside the name. */
  readonly user?: string | null;
}

/** A labelled thing to do: a menu entry, or the button the current connection needs. */
export interface ISwitcherAction {
  readonly label: string;
  readonly execute: () => void;
}

/**
 * The current connection of a panel on one line: status dot, name, user. A click on the
 * name opens the list of connections to switch to (and add or manage them); the gear opens
 * the connections view. When the connection needs the user first (an expired session, a
 * missing token), the line says so and offers the `action` in place of the user.
 *
 * `children` go on the line before the gear (a quota, a notice), for parts that add to it.
 */
export function ConnectionSwitcher(props: {
  /** The service's name for labels ("openBIS", "REANA"). */
  service: string;
  choices: readonly IConnectionChoice[];
  current: string | null;
  onChoose: (name: string) => void;
  action?: ISwitcherAction | null;
  /** The menu's entries after the connections ("Add…", "Manage…"). */
  menuActions: readonly ISwitcherAction[];
  onManage: () => void;
  children?: ReactNode;
}): JSX.Element {
  const trans = useTranslation();
  const { service, choices, action } = props;
  const button = useRef<HTMLButtonElement>(null);
  const current = choices.find(c => c.name === props.current) ?? null;
  const open = () => {
    if (button.current) {
      openConnectionMenu(button.current, props);
    }
  };
  return (
    <div
      className="jp-ReanaOpenbis-switcher"
      role="group"
      aria-label={trans.__('%1 connection', service)}
    >
      <button
        ref={button}
        type="button"
        className="jp-ReanaOpenbis-switcherButton"
        aria-haspopup="menu"
        aria-label={
          current
            ? trans.__(
                '%1 connection %2: %3. Switch connection',
                service,
                current.name,
                current.status
              )
            : trans.__('Choose a %1 connection', service)
        }
        title={
          current
            ? trans.__('%1: %2. Click to switch the connection.', current.name, current.status)
            : trans.__('Choose a %1 connection', service)
        }
        onClick={open}
        onKeyDown={event => {
          if (event.key === 'ArrowDown') {
            event.preventDefault();
            open();
          }
        }}
      >
        <span className={`jp-ReanaOpenbis-status jp-mod-${current?.tone ?? 'idle'}`}>
          <span className="jp-ReanaOpenbis-statusDot" aria-hidden="true" />
        </span>
        <span className="jp-ReanaOpenbis-switcherName">
          {current?.name ?? trans.__('No connection')}
        </span>
        <caretDownEmptyIcon.react tag="span" className="jp-ReanaOpenbis-switcherCaret" />
      </button>
      {current &&
        (action ? (
          <>
            <span className="jp-ReanaOpenbis-switcherState" title={current.status}>
              {current.status}
            </span>
            <Button small className="jp-ReanaOpenbis-switcherAction" onClick={action.execute}>
              {action.label}
            </Button>
          </>
        ) : (
          <span className="jp-ReanaOpenbis-switcherUser" title={current.status}>
            {shownName(current.user) ?? current.status}
          </span>
        ))}
      {props.children}
      <IconButton
        icon={settingsIcon}
        label={trans.__('Manage %1 connections', service)}
        className="jp-ReanaOpenbis-switcherManage"
        onClick={props.onManage}
      />
    </div>
  );
}

/**
 * JupyterLab's own menu under the switcher: one entry per connection (its status as a dot
 * and in the tooltip, the current one marked), then the extra actions. Keys work as in any
 * JupyterLab menu; closing it gives the focus back to the switcher.
 */
function openConnectionMenu(
  anchor: HTMLElement,
  options: {
    choices: readonly IConnectionChoice[];
    current: string | null;
    onChoose: (name: string) => void;
    menuActions: readonly ISwitcherAction[];
  }
): void {
  // The entries are this menu's own: nothing of it lands in the app's command registry.
  const commands = new CommandRegistry();
  const menu = new Menu({ commands });
  menu.addClass('jp-ReanaOpenbis-connectionMenu');
  options.choices.forEach((choice, index) => {
    const id = `choose-${index}`;
    const isCurrent = choice.name === options.current;
    commands.addCommand(id, {
      label: choice.user ? `${choice.name} · ${shownName(choice.user)}` : choice.name,
      caption: choice.status,
      iconClass: `jp-ReanaOpenbis-menuDot jp-mod-${choice.tone}`,
      className: isCurrent ? 'jp-mod-current' : '',
      execute: () => options.onChoose(choice.name)
    });
    menu.addItem({ command: id });
  });
  if (options.choices.length > 0 && options.menuActions.length > 0) {
    menu.addItem({ type: 'separator' });
  }
  options.menuActions.forEach((action, index) => {
    const id = `action-${index}`;
    commands.addCommand(id, { label: action.label, execute: action.execute });
    menu.addItem({ command: id });
  });
  menu.aboutToClose.connect(() => {
    // The menu runs the chosen entry after it closes; give the focus back only if that
    // entry did not take it elsewhere (a dialog), and let the menu go afterwards.
    requestAnimationFrame(() => {
      if (!document.activeElement || document.activeElement === document.body) {
        anchor.focus();
      }
      menu.dispose();
    });
  });
  const box = anchor.getBoundingClientRect();
  menu.open(box.left, box.bottom);
  const currentIndex = options.choices.findIndex(c => c.name === options.current);
  menu.activeIndex = Math.max(0, currentIndex);
}
