import type { EthtoolConfig } from '@nmfleet/model';
import { BackendError } from '../backend.js';
import type { NmSetting } from './nm-settings.js';
import { nmValue } from './nm-value.js';

/** ethtool's command-line aliases of kernel feature names, which nmstate accepts. */
const FEATURE_ALIASES: Readonly<Record<string, string>> = {
  rx: 'rx-checksum',
  'rx-checksumming': 'rx-checksum',
  ufo: 'tx-udp-fragmentation',
  tso: 'tx-tcp-segmentation',
  'tcp-segmentation-offload': 'tx-tcp-segmentation',
  gso: 'tx-generic-segmentation',
  'generic-segmentation-offload': 'tx-generic-segmentation',
  gro: 'rx-gro',
  'generic-receive-offload': 'rx-gro',
  lro: 'rx-lro',
  'large-receive-offload': 'rx-lro',
  rxvlan: 'rx-vlan-hw-parse',
  'rx-vlan-offload': 'rx-vlan-hw-parse',
  txvlan: 'tx-vlan-hw-insert',
  'tx-vlan-offload': 'tx-vlan-hw-insert',
  ntuple: 'rx-ntuple-filter',
  'ntuple-filters': 'rx-ntuple-filter',
  rxhash: 'rx-hashing',
  'receive-hashing': 'rx-hashing',
};

/** Kernel feature names NetworkManager spells differently. */
const KERNEL_TO_NM_FEATURE: Readonly<Record<string, string>> = {
  'rx-checksum': 'feature-rx',
  'tx-scatter-gather': 'feature-sg',
  'tx-tcp-segmentation': 'feature-tso',
  'rx-gro': 'feature-gro',
  'tx-generic-segmentation': 'feature-gso',
  'rx-hashing': 'feature-rxhash',
  'rx-lro': 'feature-lro',
  'rx-ntuple-filter': 'feature-ntuple',
  'rx-vlan-hw-parse': 'feature-rxvlan',
  'tx-vlan-hw-insert': 'feature-txvlan',
};

/** The ethtool features NetworkManager can set (NM_ETHTOOL_OPTNAME_FEATURE_*). */
const NM_FEATURES: ReadonlySet<string> = new Set(
  [
    'esp-hw-offload', 'esp-tx-csum-hw-offload', 'fcoe-mtu', 'gro', 'gso', 'highdma', 'hw-tc-offload', 'l2-fwd-offload', 'loopback', 'lro',
    'macsec-hw-offload', 'ntuple', 'rx', 'rxhash', 'rxvlan', 'rx-all', 'rx-fcs', 'rx-gro-hw', 'rx-gro-list', 'rx-udp-gro-forwarding',
    'rx-udp_tunnel-port-offload', 'rx-vlan-filter', 'rx-vlan-stag-filter', 'rx-vlan-stag-hw-parse', 'sg', 'tls-hw-record', 'tls-hw-rx-offload',
    'tls-hw-tx-offload', 'tso', 'tx', 'txvlan', 'tx-checksum-fcoe-crc', 'tx-checksum-ipv4', 'tx-checksum-ipv6', 'tx-checksum-ip-generic',
    'tx-checksum-sctp', 'tx-esp-segmentation', 'tx-fcoe-segmentation', 'tx-gre-csum-segmentation', 'tx-gre-segmentation', 'tx-gso-list',
    'tx-gso-partial', 'tx-gso-robust', 'tx-ipxip4-segmentation', 'tx-ipxip6-segmentation', 'tx-nocache-copy', 'tx-scatter-gather',
    'tx-scatter-gather-fraglist', 'tx-sctp-segmentation', 'tx-tcp6-segmentation', 'tx-tcp-ecn-segmentation', 'tx-tcp-mangleid-segmentation',
    'tx-tcp-segmentation', 'tx-tunnel-remcsum-segmentation', 'tx-udp-segmentation', 'tx-udp_tnl-csum-segmentation', 'tx-udp_tnl-segmentation',
    'tx-vlan-stag-hw-insert',
  ].map((f) => `feature-${f}`),
);

/** NM_SETTING_ETHTOOL_FEC_MODE_* bits. */
const FEC_MODES = { auto: 1 << 1, off: 1 << 2, rs: 1 << 3, baser: 1 << 4, llrs: 1 << 5 } as const;

const COALESCE_KEYS = [
  'pkt-rate-high', 'pkt-rate-low', 'rx-frames', 'rx-frames-high', 'rx-frames-low', 'rx-frames-irq', 'tx-frames', 'tx-frames-high', 'tx-frames-low',
  'tx-frames-irq', 'rx-usecs', 'rx-usecs-high', 'rx-usecs-low', 'rx-usecs-irq', 'sample-interval', 'stats-block-usecs', 'tx-usecs',
] as const;
const RING_KEYS = ['rx', 'rx-jumbo', 'rx-mini', 'tx'] as const;

/** Whether an `ethtool` key is one nmfleet writes: every feature, pause, coalesce, ring and FEC key. */
export function isModelledEthtoolKey(key: string): boolean {
  return /^(feature|pause|coalesce|ring)-/.test(key) || key === 'fec-mode';
}

/**
 * The `ethtool` setting, or the existing one when the interface has no
 * `ethtool` section. Feature names go through ethtool's aliases and
 * NetworkManager's spellings; a feature NetworkManager cannot set is an error.
 */
export function toNmEthtoolSetting(conf: EthtoolConfig | undefined, existing: NmSetting | undefined, where: string): NmSetting | undefined {
  if (conf === undefined) return existing;
  const setting: NmSetting = { ...(existing ?? {}) };
  const pause = conf.pause;
  if (pause) {
    // Without autoneg the driver needs explicit rx/tx; with it NetworkManager must not force them.
    if (pause.autoneg === false) {
      for (const key of ['rx', 'tx'] as const) {
        const v = pause[key];
        if (v === undefined) delete setting[`pause-${key}`];
        else setting[`pause-${key}`] = nmValue.bool(v);
      }
    }
    if (pause.autoneg === undefined) delete setting['pause-autoneg'];
    else setting['pause-autoneg'] = nmValue.bool(pause.autoneg);
  }
  if (conf.feature) {
    for (const key of Object.keys(setting)) if (key.startsWith('feature-')) delete setting[key];
    for (const [name, on] of Object.entries(conf.feature)) {
      const kernelName = FEATURE_ALIASES[name] ?? name;
      const nmName = KERNEL_TO_NM_FEATURE[kernelName] ?? `feature-${kernelName}`;
      if (!NM_FEATURES.has(nmName)) throw new BackendError('unsupported', `${where}.ethtool.feature: NetworkManager cannot set the ethtool feature '${name}' (${nmName})`);
      setting[nmName] = nmValue.bool(on);
    }
  }
  const coalesce = conf.coalesce;
  if (coalesce) {
    for (const key of ['adaptive-rx', 'adaptive-tx'] as const) {
      const v = coalesce[key];
      if (v === undefined) delete setting[`coalesce-${key}`];
      else setting[`coalesce-${key}`] = nmValue.uint32(v ? 1 : 0);
    }
    for (const key of COALESCE_KEYS) {
      const v = coalesce[key];
      if (v === undefined) delete setting[`coalesce-${key}`];
      else setting[`coalesce-${key}`] = nmValue.uint32(v);
    }
  }
  const ring = conf.ring;
  if (ring) {
    for (const key of RING_KEYS) {
      const v = ring[key];
      if (v === undefined) delete setting[`ring-${key}`];
      else setting[`ring-${key}`] = nmValue.uint32(v);
    }
  }
  const fec = conf.fec;
  if (fec) {
    const mode = fec.auto === true ? FEC_MODES.auto : fec.mode !== undefined ? FEC_MODES[fec.mode] : fec.auto === false ? FEC_MODES.off : undefined;
    if (mode === undefined) delete setting['fec-mode'];
    else setting['fec-mode'] = nmValue.uint32(mode);
  }
  return setting;
}
