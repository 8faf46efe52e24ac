import { startNetworkManager, type NetworkManagerInstance } from '@nmfleet/testenv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toPlainValue } from '../settings/nm-value.js';
import { connectNmBus, type NmBus } from './nm-bus.js';
import { NmClient } from './nm-client.js';

describe('NmClient against a private NetworkManager', () => {
  let nm: NetworkManagerInstance;
  let bus: NmBus;
  let client: NmClient;
  beforeAll(async () => {
    nm = await startNetworkManager(`nmf-cl-${process.pid}`);
    bus = await connectNmBus({ busAddress: nm.busAddress });
    client = new NmClient(bus);
  });
  afterAll(async () => {
    bus?.close();
    await nm?.stop();
  });

  it('reads secrets GetSettings leaves out, and marks profiles NetworkManager generated', async () => {
    await nm.nmcli([
      'connection', 'add', 'type', 'ethernet', 'ifname', 'nmf-x0', 'con-name', 'nmf-x0', 'autoconnect', 'no',
      '802-1x.eap', 'md5', '802-1x.identity', 'nmf-user', '802-1x.password', 'nmf-secret',
    ]);
    const profile = (await client.listProfiles()).find((p) => p.id === 'nmf-x0');
    expect(profile?.settings['802-1x']?.['identity']).toBeDefined();
    expect(profile?.settings['802-1x']?.['password']).toBeUndefined();
    const secrets = await client.readSecrets(profile!.path, '802-1x');
    expect(toPlainValue(secrets['802-1x']!['password']!)).toBe('nmf-secret');

    // NetworkManager makes up a profile for a device configured outside it (here the loopback device).
    const { activeProfiles, generatedProfiles } = await client.readObjects();
    const lo = activeProfiles.get('lo');
    expect(lo).toBeDefined();
    expect(generatedProfiles.has(lo!)).toBe(true);
    expect(generatedProfiles.has(profile!.path)).toBe(false);
  });
});
