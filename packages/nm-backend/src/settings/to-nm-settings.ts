import { isInterfaceOfType, type BaseInterface, type EthernetConfig, type Interface, type InterfaceType } from '@nmfleet/model';
import { applyMatchSetting, toNmConnectionSetting, toNmUserSetting } from './connection-setting.js';
import { toNmEthtoolSetting } from './ethtool-setting.js';
import { toNm8021xSetting } from './ieee8021x-setting.js';
import { getInterfaceConverter } from './interface-converters.js';
import { applyWaitIp, NM_FOREVER_TIMEOUT, sanitizeIpConfig, toNmIpSetting } from './ip-setting.js';
import { readString } from './nm-read.js';
import { cloneNmSettings, NM_CONNECTION_TYPE, NM_SETTING, type NmSettings } from './nm-settings.js';
import { nmValue } from './nm-value.js';
import { applyOvsDbSettings } from './ovs-db-setting.js';
import type { SettingsContext, SettingsInput } from './settings-input.js';
import { createOvsPortProfile, findOvsPortName } from './types/ovs-bridge.js';
import { toNmWiredSetting } from './wired-setting.js';

/** Whether an interface may hold IP settings: not as a port, except of a VRF and for OVS internal interfaces. */
export function canHaveIp(base: BaseInterface, controllerType: InterfaceType | undefined): boolean {
  const controller = base.controller;
  return controller === undefined || controller === '' || base.type === 'ovs-interface' || controllerType === 'vrf';
}

/** The `slave-type` a port of `controllerType` gets: OVS system and internal interfaces attach to an OVS port. */
function toControllerConnectionType(controllerType: InterfaceType | undefined, ifaceType: string): string | undefined {
  if (controllerType === undefined) return undefined;
  if (controllerType === 'ovs-bridge' && ifaceType !== 'ovs-port') return NM_CONNECTION_TYPE.ovsPort;
  return getInterfaceConverter(controllerType).connectionType({ type: controllerType } as Interface);
}

function ethernetConfigOf(iface: Interface): EthernetConfig | undefined {
  return isInterfaceOfType(iface, 'ethernet') || isInterfaceOfType(iface, 'veth') ? iface.ethernet : undefined;
}

/** nmstate's clean-up common to every type: MAC addresses upper case, IP sections sanitized. */
function sanitizeBase<T extends Interface>(iface: T): T {
  const out: T = { ...iface };
  if (out['mac-address'] !== undefined) out['mac-address'] = out['mac-address'].toUpperCase();
  if (out.ipv4 !== undefined) out.ipv4 = sanitizeIpConfig('ipv4', out.ipv4, out.name);
  if (out.ipv6 !== undefined) out.ipv6 = sanitizeIpConfig('ipv6', out.ipv6, out.name);
  return out;
}

/** NetworkManager must never give up waiting for DHCP or RA on a profile nmstate manages. */
function setForeverDhcpTimeout(settings: NmSettings): void {
  for (const family of [NM_SETTING.ipv4, NM_SETTING.ipv6] as const) {
    const ip = settings[family];
    if (ip) ip['dhcp-timeout'] = nmValue.int32(NM_FOREVER_TIMEOUT);
  }
}

/**
 * Renders an interface as NetworkManager profiles, the way nmstate does: the
 * interface's own profile first, then the profiles NetworkManager needs
 * besides it (the `ovs-port` profiles of an OVS bridge, the peer of a veth
 * whose peer is not applied with it).
 *
 * With `ctx.existing` the profile is edited in place as nmstate does (its
 * UUID, name and everything the state does not mention stay); pass the
 * result through {@link mergeNmSettings} with the profile read from
 * NetworkManager to keep keys nmfleet does not model.
 */
export function toNmSettings(input: SettingsInput, ctx: SettingsContext): NmSettings[] {
  const converter = getInterfaceConverter(input.iface.type);
  let iface = converter.sanitize ? converter.sanitize(sanitizeBase(input.iface)) : sanitizeBase(input.iface);
  const existing = ctx.existing;
  const settings: NmSettings = existing ? cloneNmSettings(existing) : {};
  const controller = iface.controller;
  const controllerIface = controller ? ctx.getInterface(controller, input.controllerType) : undefined;
  const controllerType = input.controllerType ?? (controllerIface?.type as InterfaceType | undefined);
  // An HSR port carries no IP: nmstate disables both stacks on it explicitly.
  if (controllerType === 'hsr' && iface.state === 'up') iface = { ...iface, ipv4: { enabled: false }, ipv6: { enabled: false } };

  settings[NM_SETTING.connection] = toNmConnectionSetting(
    {
      base: iface,
      nmstateType: iface.type,
      connectionType: converter.connectionType(iface),
      isController: converter.isController,
      ...(controller ? { controllerConnectionType: toControllerConnectionType(controllerType, iface.type) } : {}),
      hasInterfaceName: converter.hasInterfaceName ?? true,
    },
    ctx,
    existing?.[NM_SETTING.connection],
  );
  applyMatchSetting(settings, iface);

  // HSR ports get both stacks explicitly disabled rather than no IP settings.
  if (canHaveIp(iface, controllerType) || controllerType === 'hsr') {
    for (const family of ['ipv4', 'ipv6'] as const) {
      settings[family] = toNmIpSetting({
        family,
        ip: iface[family],
        ifaceType: iface.type,
        routes: input.routes,
        rules: input.rules?.[family],
        dns: input.dns?.[family],
        existing: existing?.[family],
      });
    }
    applyWaitIp(iface, settings[NM_SETTING.ipv4], settings[NM_SETTING.ipv6]);
  } else {
    delete settings[NM_SETTING.ipv4];
    delete settings[NM_SETTING.ipv6];
  }

  if (converter.hasWiredSetting) {
    const wired = toNmWiredSetting(iface, ethernetConfigOf(iface), existing?.[NM_SETTING.wired]);
    if (wired) settings[NM_SETTING.wired] = wired;
  }
  if (iface.type !== 'ovs-bridge' && controllerType !== 'ovs-bridge') {
    delete settings[NM_SETTING.ovsExternalIds];
    delete settings[NM_SETTING.ovsOtherConfig];
  } else if (iface['ovs-db']) {
    applyOvsDbSettings(settings, iface['ovs-db']);
  }
  const ieee8021x = toNm8021xSetting(iface['802.1x'], existing?.[NM_SETTING.ieee8021x]);
  if (ieee8021x) settings[NM_SETTING.ieee8021x] = ieee8021x;
  const user = toNmUserSetting(iface);
  if (user) settings[NM_SETTING.user] = user;
  const ethtool = toNmEthtoolSetting(iface.ethtool, existing?.[NM_SETTING.ethtool], iface.name);
  if (ethtool) settings[NM_SETTING.ethtool] = ethtool;

  converter.writeTypeSettings?.(iface, settings, ctx, input);

  const portType = readString(settings, NM_SETTING.connection, 'slave-type');
  if (portType !== NM_CONNECTION_TYPE.bond) delete settings[NM_SETTING.bondPort];
  if (portType !== NM_CONNECTION_TYPE.bridge) delete settings[NM_SETTING.bridgePort];
  if (portType !== NM_CONNECTION_TYPE.ovsPort && iface.type !== 'ovs-interface') delete settings[NM_SETTING.ovsInterface];

  const companions = converter.createCompanions?.(iface, ctx, input) ?? [];
  if (controller && controllerType) {
    const portName = readString(settings, NM_SETTING.connection, 'interface-name');
    if (controllerType === 'ovs-bridge') {
      const bridge = controllerIface && isInterfaceOfType(controllerIface, 'ovs-bridge') ? controllerIface : undefined;
      const ovsPortName = (bridge && findOvsPortName(bridge, iface.name)) ?? iface.name;
      const conn = settings[NM_SETTING.connection];
      if (conn) {
        conn['slave-type'] = nmValue.string(NM_CONNECTION_TYPE.ovsPort);
        conn['master'] = nmValue.string(ovsPortName);
      }
      // Attaching to a bridge that is not changed with it: nmstate adds the port the bridge does not list.
      if (!bridge && iface.type !== 'ovs-port') companions.push(createOvsPortProfile(controller, { name: ovsPortName }, ctx));
    } else if (controllerIface && portName !== undefined) {
      getInterfaceConverter(controllerType).writePortSettings?.(controllerIface, portName, settings, existing);
    }
  }
  if (controller === '') delete settings[NM_SETTING.ovsInterface];

  const profiles = [settings, ...companions.map((c) => c.settings)];
  for (const profile of profiles) setForeverDhcpTimeout(profile);
  return profiles;
}
