import { Notification } from '@jupyterlab/apputils';
import { ISettingRegistry } from '@jupyterlab/settingregistry';
import { TranslationBundle } from '@jupyterlab/translation';

/** A setting's current (composite) value by key. */
export type SettingOf = (key: string) => unknown;

/**
 * Apply a plugin's settings now and after every change. Without a registry the plugin
 * keeps its defaults; when its settings cannot be loaded, the user is told so.
 *
 * @returns the loaded settings, `null` when there are none.
 */
export async function followSettings(
  registry: ISettingRegistry | null,
  id: string,
  trans: TranslationBundle,
  apply: (setting: SettingOf) => void
): Promise<ISettingRegistry.ISettings | null> {
  try {
    const settings = (await registry?.load(id)) ?? null;
    if (settings) {
      const update = () => apply(key => settings.get(key).composite);
      update();
      settings.changed.connect(update);
    }
    return settings;
  } catch (reason) {
    Notification.error(trans.__('The settings %1 could not be loaded: %2', id, String(reason)), {
      autoClose: false
    });
    return null;
  }
}

/** A number setting, or `fallback` when it is not a number. */
export function numberOf(setting: SettingOf, key: string, fallback: number): number {
  const value = setting(key);
  return typeof value === 'number' ? value : fallback;
}
