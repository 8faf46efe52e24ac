import { defineInterfaceConverter, type InterfaceOf } from '../interface-converter.js';
import { NM_CONNECTION_TYPE } from '../nm-settings.js';

/** Dummy interfaces: no settings of their own. */
export const dummyConverter = defineInterfaceConverter<InterfaceOf<'dummy'>>({
  connectionType: () => NM_CONNECTION_TYPE.dummy,
  isController: false,
  hasWiredSetting: true,
  readTypeSettings: (_settings, base) => ({ ...base, type: 'dummy' }),
});
