import { parseState, type InterfaceType } from '@nmfleet/model';
import { describe, expect, it } from 'vitest';
import { BackendError } from '../backend.js';
import { listGcCases, readText } from '../keyfile/gc-fixtures.js';
import { generateKeyfiles } from '../keyfile/generate-keyfiles.js';
import { renderKeyfile } from '../keyfile/keyfile-writer.js';
import { fromNmProfiles, fromNmSettings } from './from-nm-settings.js';
import { readString } from './nm-read.js';
import { getConnectionId, getConnectionUuid, NM_SETTING, type NmSettings } from './nm-settings.js';
import { nmValue } from './nm-value.js';
import { createStableProfileUuid } from './profile-uuid.js';
import { toNmSettings } from './to-nm-settings.js';

/**
 * Profiles → model → profiles is a fixed point: reading back what we
 * generated and rendering it again gives the same settings, for every
 * profile of every golden gc case. What `fromNmSettings` drops or invents
 * shows up as a difference.
 */
/** A profile's UUID is its identity, not modelled content: re-rendering keeps the original one (as an update does). */
function originalUuid(profiles: readonly NmSettings[], name: string, type: string): string {
  // OVS bridges, ports and interfaces share names with each other and with system interfaces.
  const ovsTypes = new Set(['ovs-bridge', 'ovs-port', 'ovs-interface']);
  const candidates = profiles.filter((p) => (readString(p, 'connection', 'interface-name') ?? getConnectionId(p)) === name);
  const match = candidates.find((p) => {
    const connectionType = readString(p, 'connection', 'type') ?? '';
    return ovsTypes.has(type) ? connectionType === type : !ovsTypes.has(connectionType);
  });
  return (match && getConnectionUuid(match)) ?? createStableProfileUuid(name, type);
}

function renderAgain(profiles: readonly NmSettings[]): NmSettings[] {
  const states = fromNmProfiles(profiles);
  const find = (name: string, type?: InterfaceType) =>
    states.find((s) => s.iface.name === name && (type === undefined || type === 'unknown' || s.iface.type === type || (type !== 'ovs-bridge' && s.iface.type !== 'ovs-bridge')))?.iface;
  return states.flatMap((state) => {
    const rendered = toNmSettings(
      {
        iface: state.iface,
        ...(state.controllerType ? { controllerType: state.controllerType } : {}),
        routes: state.routes,
        rules: state.rules,
        dns: state.dns,
      },
      { getInterface: find, createUuid: (name, type) => originalUuid(profiles, name, type) },
    );
    if (state.iface.state === 'down') for (const p of rendered) p[NM_SETTING.connection] = { ...p[NM_SETTING.connection], autoconnect: nmValue.bool(false) };
    return rendered;
  });
}

describe('fromNmSettings ∘ toNmSettings is the identity on generated profiles', () => {
  for (const c of listGcCases().filter((gc) => gc.expectedFile)) {
    it(c.name, () => {
      const parsed = parseState(readText(c.desiredFile));
      if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
      const original = generateKeyfiles(parsed.state).files.map((f) => f.settings);
      const again = renderAgain(original);
      const byId = (list: readonly NmSettings[]) => new Map(list.map((p) => [getConnectionId(p), renderKeyfile(p)] as const));
      expect(byId(again)).toEqual(byId(original));
    });
  }
});

describe('fromNmSettings', () => {
  it('reads a profile written by another tool: DNS from dns-data, a MAC match, no interface name', () => {
    const state = fromNmSettings({
      connection: { id: nmValue.string('Wired 1'), uuid: nmValue.string('u'), type: nmValue.string('802-3-ethernet'), autoconnect: nmValue.bool(false) },
      '802-3-ethernet': { 'mac-address': nmValue.bytes([2, 0, 0, 0, 0, 0x1f]) },
      ipv4: { method: nmValue.string('auto'), 'dns-data': nmValue.stringList(['192.0.2.53']), 'ignore-auto-dns': nmValue.bool(true) },
    } as NmSettings).iface;
    expect(state).toMatchObject({
      name: 'Wired 1',
      type: 'ethernet',
      state: 'down',
      identifier: 'mac-address',
      'mac-address': '02:00:00:00:00:1F',
      ipv4: { enabled: true, dhcp: true, 'auto-dns': false },
    });
  });

  it('names what is missing or not an interface', () => {
    expect(() => fromNmSettings({ connection: { id: nmValue.string('x') } })).toThrow(/no connection.type/);
    expect(() => fromNmSettings({ connection: { id: nmValue.string('x'), type: nmValue.string('wireguard') } })).toThrow(BackendError);
    expect(() => fromNmSettings({ connection: { id: nmValue.string('p'), type: nmValue.string('ovs-port') } })).toThrow(/readOvsPortProfile/);
  });
});
