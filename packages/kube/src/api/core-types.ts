import type { ConditionStatus } from './condition.js';
import type { KubeObject } from './object-meta.js';

/** The parts of a core/v1 Node this project reads. */
export interface Node extends KubeObject {
  spec?: { unschedulable?: boolean; [key: string]: unknown };
  status?: {
    conditions?: { type: string; status: ConditionStatus; reason?: string; message?: string }[];
    nodeInfo?: { [key: string]: unknown };
    [key: string]: unknown;
  };
}

/** The spec of a coordination.k8s.io/v1 Lease. Times are MicroTime strings (6 fractional digits). */
export interface LeaseSpec {
  holderIdentity?: string;
  leaseDurationSeconds?: number;
  acquireTime?: string;
  renewTime?: string;
  leaseTransitions?: number;
}

/** A coordination.k8s.io/v1 Lease. */
export interface Lease extends KubeObject {
  spec?: LeaseSpec;
}
