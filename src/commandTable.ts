import { ICommandPalette } from '@jupyterlab/apputils';
import { CommandToolbarButton, LabIcon, Toolbar } from '@jupyterlab/ui-components';
import { CommandRegistry } from '@lumino/commands';
import { ReadonlyJSONObject } from '@lumino/coreutils';
import { Widget } from '@lumino/widgets';

/** One command of a part, as a row of a table (see `addCommands`). */
export interface ICommandRow extends Omit<CommandRegistry.ICommandOptions, 'icon' | 'describedBy'> {
  id: string;
  icon?: LabIcon;
  /** An icon shown only on toolbars (`args.toolbar`), not in menus and the palette. */
  toolbarIcon?: LabIcon;
  /** The JSON schema `properties` of its arguments (none by default). */
  args?: ReadonlyJSONObject;
  /** Not offered in the command palette (default: offered). */
  hidden?: boolean;
}

/** The `args` schema of the commands about one connection. */
export const CONNECTION_ARG = { connection: { type: 'string', description: 'connection name' } };

/** Register a part's commands, and offer them in the palette under `category`. */
export function addCommands(
  commands: CommandRegistry,
  rows: ICommandRow[],
  palette: ICommandPalette | null,
  category: string
): void {
  for (const { id, toolbarIcon, args, hidden, ...row } of rows) {
    commands.addCommand(id, {
      icon: toolbarIcon && (a => (a.toolbar ? toolbarIcon : undefined)),
      ...row,
      describedBy: { args: { type: 'object', properties: args ?? {} } }
    });
    if (!hidden) {
      palette?.addItem({ command: id, category });
    }
  }
}

/** Icon-only buttons on a section's toolbar, one per command id (`args.toolbar` set). */
export function addToolbarButtons(
  section: { toolbar: Toolbar<Widget> },
  commands: CommandRegistry,
  ids: string[]
): void {
  for (const id of ids) {
    section.toolbar.addItem(
      id.split(':')[1],
      new CommandToolbarButton({ commands, id, args: { toolbar: true }, label: '' })
    );
  }
}
