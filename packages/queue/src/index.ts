export { AgentLedger } from './agent-ledger.js';
export type { AgentLedgerOptions, ApplyClaim } from './agent-ledger.js';
export { ENACTMENT_JOB_NAME } from './enactment-job.js';
export type { EnactmentJob, EnactmentJobData } from './enactment-job.js';
export { ENACTMENT_STATES, isFinalEnactmentState } from './enactment-record.js';
export type { ApplyOutcome, EnactmentRecord, EnactmentState, RolloutCounts } from './enactment-record.js';
export { EnactmentStore, MAX_RECORD_ERROR_CHARS } from './enactment-store.js';
export type {
  AdmitNodesResult,
  AdmitResult,
  EnactmentStoreOptions,
  FinishOutcome,
  FinishResult,
  InflightJob,
  NextAdmission,
  NextAdmissionResult,
  RolloutId,
  RolloutSnapshot,
  UpsertRolloutResult,
} from './enactment-store.js';
export { QueueError, isConnectionError } from './errors.js';
export type { QueueErrorKind } from './errors.js';
export { JOB_ID_UID_CHARS, formatJobId, parseJobId } from './job-id.js';
export { DEFAULT_KEY_PREFIX, createKeyLayout } from './key-layout.js';
export type { KeyLayout } from './key-layout.js';
export { decodeReport, encodeReportFields } from './node-report.js';
export type { EnactmentReport, NodeReport, ProbeResult, ReportOutcome, StateReport } from './node-report.js';
export { COMPLETED_JOB_RETENTION_SECONDS, FAILED_JOB_RETENTION_SECONDS, NodeQueues } from './node-queues.js';
export type { NodeJobCounts, NodeJobState, NodeQueuesOptions } from './node-queues.js';
export { JOB_LOCK_DURATION_MS, MAX_STALLED_COUNT, STALLED_CHECK_INTERVAL_MS, createNodeWorker } from './node-worker.js';
export type { NodeWorker, NodeWorkerOptions } from './node-worker.js';
export { MAX_RECONNECT_DELAY_MS, createRedisConnection } from './redis-connection.js';
export type { RedisConnectionOptions } from './redis-connection.js';
export { REPORT_BATCH_SIZE, REPORT_BLOCK_MS, REPORT_CONSUMER_GROUP, ReportConsumer } from './report-consumer.js';
export type { ReportBatch, ReportConsumerOptions } from './report-consumer.js';
