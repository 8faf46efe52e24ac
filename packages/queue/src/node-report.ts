import { QueueError } from './errors.js';

/** How a job ended on the agent. `skipped`: the agent did not apply (superseded, deleted, not admitted). */
export type ReportOutcome = 'available' | 'failing' | 'skipped';

/** One probe's part in a job: whether it was selected (it passed before the change) and whether it passed after. */
export interface ProbeResult {
  /** Probe kind, e.g. `gateway`, `dns`, `api-server`, `redis`. */
  kind: string;
  /** Passed before the change, so it decided commit or rollback. */
  selected: boolean;
  /** Passed after the change (undefined when not selected). */
  passed?: boolean;
  seconds: number;
}

/** What an agent reports for one job. Times are milliseconds since the epoch, from the agent's clock. */
export interface EnactmentReport {
  kind: 'enactment';
  /** Stream entry id (set when read from the stream). */
  id?: string;
  node: string;
  policy: string;
  generation: number;
  jobId: string;
  outcome: ReportOutcome;
  /** Attempt number of the claim (above 1 after an agent crash). */
  attempt: number;
  startedAt: number;
  endedAt: number;
  /** Seconds spent in the backend's apply (before probes). */
  applySeconds?: number;
  /** Seconds spent running the selected probes. */
  probeSeconds?: number;
  error?: string;
  /** Error kind of the backend (`operation-failed`, `verification-failed`, …) or `probe-failed`. */
  errorKind?: string;
  /** Whether the host was rolled back. */
  rolledBack?: boolean;
  desiredHash?: string;
  probes?: ProbeResult[];
  /** Hash of the node's state after the job; `state` is present only when it changed. */
  stateHash?: string;
  state?: unknown;
}

/** A node's state, reported when the agent starts or notices a change outside a job. */
export interface StateReport {
  kind: 'state';
  id?: string;
  node: string;
  at: number;
  stateHash: string;
  state: unknown;
}

/** Any entry of the report stream. */
export type NodeReport = EnactmentReport | StateReport;

/** Encodes a report as stream fields (name, value, …), without the state itself. */
export function encodeReportFields(report: NodeReport): string[] {
  const fields: string[] = ['kind', report.kind, 'node', report.node];
  const put = (name: string, value: string | number | boolean | undefined) => {
    if (value !== undefined) fields.push(name, typeof value === 'boolean' ? (value ? '1' : '0') : String(value));
  };
  if (report.kind === 'state') {
    put('at', report.at);
    put('stateHash', report.stateHash);
    return fields;
  }
  put('policy', report.policy);
  put('generation', report.generation);
  put('jobId', report.jobId);
  put('outcome', report.outcome);
  put('attempt', report.attempt);
  put('startedAt', report.startedAt);
  put('endedAt', report.endedAt);
  put('applySeconds', report.applySeconds);
  put('probeSeconds', report.probeSeconds);
  put('error', report.error);
  put('errorKind', report.errorKind);
  put('rolledBack', report.rolledBack);
  put('desiredHash', report.desiredHash);
  if (report.probes !== undefined) put('probes', JSON.stringify(report.probes));
  put('stateHash', report.stateHash);
  return fields;
}

function requireField(fields: Map<string, string>, name: string, id: string): string {
  const value = fields.get(name);
  if (value === undefined) throw new QueueError('protocol', `report ${id} lacks the field ${name}`);
  return value;
}

function optionalNumber(fields: Map<string, string>, name: string): number | undefined {
  const value = fields.get(name);
  return value === undefined ? undefined : Number(value);
}

/** Decodes one stream entry; throws a `protocol` QueueError for a malformed one. */
export function decodeReport(id: string, flat: readonly string[]): NodeReport {
  const fields = new Map<string, string>();
  for (let i = 0; i + 1 < flat.length; i += 2) fields.set(flat[i] ?? '', flat[i + 1] ?? '');
  const kind = requireField(fields, 'kind', id);
  const node = requireField(fields, 'node', id);
  const stateJson = fields.get('state');
  let state: unknown;
  if (stateJson !== undefined) {
    try {
      state = JSON.parse(stateJson);
    } catch (error) {
      throw new QueueError('protocol', `report ${id} carries a state that is not JSON`, { cause: error });
    }
  }
  if (kind === 'state') {
    return { kind, id, node, at: Number(requireField(fields, 'at', id)), stateHash: requireField(fields, 'stateHash', id), state };
  }
  if (kind !== 'enactment') throw new QueueError('protocol', `report ${id} has unknown kind ${JSON.stringify(kind)}`);
  const outcome = requireField(fields, 'outcome', id);
  if (outcome !== 'available' && outcome !== 'failing' && outcome !== 'skipped') {
    throw new QueueError('protocol', `report ${id} has unknown outcome ${JSON.stringify(outcome)}`);
  }
  const report: EnactmentReport = {
    kind,
    id,
    node,
    policy: requireField(fields, 'policy', id),
    generation: Number(requireField(fields, 'generation', id)),
    jobId: requireField(fields, 'jobId', id),
    outcome,
    attempt: Number(fields.get('attempt') ?? 1),
    startedAt: Number(requireField(fields, 'startedAt', id)),
    endedAt: Number(requireField(fields, 'endedAt', id)),
  };
  const applySeconds = optionalNumber(fields, 'applySeconds');
  if (applySeconds !== undefined) report.applySeconds = applySeconds;
  const probeSeconds = optionalNumber(fields, 'probeSeconds');
  if (probeSeconds !== undefined) report.probeSeconds = probeSeconds;
  const error = fields.get('error');
  if (error !== undefined) report.error = error;
  const errorKind = fields.get('errorKind');
  if (errorKind !== undefined) report.errorKind = errorKind;
  const rolledBack = fields.get('rolledBack');
  if (rolledBack !== undefined) report.rolledBack = rolledBack === '1';
  const desiredHash = fields.get('desiredHash');
  if (desiredHash !== undefined) report.desiredHash = desiredHash;
  const probes = fields.get('probes');
  if (probes !== undefined) report.probes = JSON.parse(probes) as ProbeResult[];
  const stateHash = fields.get('stateHash');
  if (stateHash !== undefined) report.stateHash = stateHash;
  if (state !== undefined) report.state = state;
  return report;
}
