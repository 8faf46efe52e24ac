import { defineInterfaceConverter, type InterfaceOf } from '../interface-converter.js';

/** XFRM interfaces: nmstate writes no type settings (NetworkManager's `xfrm` type is not used). */
export const xfrmConverter = defineInterfaceConverter<InterfaceOf<'xfrm'>>({
  connectionType: () => 'xfrm',
  isController: false,
  hasWiredSetting: true,
  readTypeSettings: (_settings, base) => ({ ...base, type: 'xfrm' }),
});
