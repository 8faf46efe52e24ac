import { defineInterfaceConverter, type InterfaceOf } from '../interface-converter.js';

/**
 * `type: unknown`: nmstate resolves it from the host (or, for gc, treats it as
 * Ethernet) before settings are rendered; a profile of this type cannot exist.
 */
export const unknownConverter = defineInterfaceConverter<InterfaceOf<'unknown'>>({
  connectionType: () => 'unknown',
  isController: false,
  hasWiredSetting: true,
  readTypeSettings: (_settings, base) => ({ ...base, type: 'unknown' }),
});
