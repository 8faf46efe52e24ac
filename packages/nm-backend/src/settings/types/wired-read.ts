import type { EthernetConfig } from '@nmfleet/model';
import { readBool, readNumber, readString } from '../nm-read.js';
import { NM_SETTING, type NmSettings } from '../nm-settings.js';

/** `auto-negotiation`, `speed` and `duplex` back from `802-3-ethernet`. */
export function readWiredConfig(settings: NmSettings): EthernetConfig {
  const out: EthernetConfig = {};
  const autoNeg = readBool(settings, NM_SETTING.wired, 'auto-negotiate');
  if (autoNeg !== undefined) out['auto-negotiation'] = autoNeg;
  const speed = readNumber(settings, NM_SETTING.wired, 'speed');
  if (speed !== undefined && speed !== 0) out.speed = speed;
  const duplex = readString(settings, NM_SETTING.wired, 'duplex');
  if (duplex === 'full' || duplex === 'half') out.duplex = duplex;
  return out;
}
