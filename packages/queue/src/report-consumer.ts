import type { Redis } from 'ioredis';
import { toQueueError } from './errors.js';
import type { KeyLayout } from './key-layout.js';
import { decodeReport, type NodeReport } from './node-report.js';

/** The consumer group of the coordinators on the report stream. */
export const REPORT_CONSUMER_GROUP = 'coordinator';

/** Default of {@link ReportConsumerOptions.batchSize}. */
export const REPORT_BATCH_SIZE = 512;

/** Default of {@link ReportConsumerOptions.blockMs}. */
export const REPORT_BLOCK_MS = 1000;

/** Options of {@link ReportConsumer}. */
export interface ReportConsumerOptions {
  /** The shared command connection (acks and claims). */
  connection: Redis;
  /** A connection of its own for the blocking read (`connection.duplicate()`). */
  blockingConnection: Redis;
  keys: KeyLayout;
  /** This coordinator's consumer name in the group, unique per process. */
  consumer: string;
  /** Entries read at most per call. Default: {@link REPORT_BATCH_SIZE}. */
  batchSize?: number;
  /** Longest wait of one blocking read, in milliseconds. Default: {@link REPORT_BLOCK_MS}. */
  blockMs?: number;
}

/** Entries read in one call: the decodable reports, and the ids of malformed entries (to acknowledge and log). */
export interface ReportBatch {
  reports: NodeReport[];
  malformed: { id: string; reason: string }[];
}

type StreamEntry = [id: string, fields: string[]];

/**
 * The coordinator's side of the report stream, read through a consumer group.
 * A report is acknowledged (and deleted, so the stream holds only unhandled
 * reports) after its record transition; a coordinator that dies leaves its
 * unacknowledged entries to the next leader, which claims them first.
 */
export class ReportConsumer {
  private readonly redis: Redis;
  private readonly blocking: Redis;
  private readonly keys: KeyLayout;
  private readonly consumer: string;
  private readonly batchSize: number;
  private readonly blockMs: number;

  constructor(options: ReportConsumerOptions) {
    this.redis = options.connection;
    this.blocking = options.blockingConnection;
    this.keys = options.keys;
    this.consumer = options.consumer;
    this.batchSize = options.batchSize ?? REPORT_BATCH_SIZE;
    this.blockMs = options.blockMs ?? REPORT_BLOCK_MS;
  }

  /** Creates the stream and the consumer group when missing. */
  async ensureGroup(): Promise<void> {
    try {
      await this.redis.xgroup('CREATE', this.keys.reports, REPORT_CONSUMER_GROUP, '0', 'MKSTREAM');
    } catch (error) {
      if (error instanceof Error && error.message.includes('BUSYGROUP')) return;
      throw toQueueError(error, 'creating the report consumer group');
    }
  }

  /**
   * Takes over every entry delivered to some consumer but not acknowledged (a dead
   * coordinator's, or this one's from before a reconnect). Call once on becoming leader.
   */
  async claimUnacknowledged(): Promise<ReportBatch> {
    const batch: ReportBatch = { reports: [], malformed: [] };
    let cursor = '0-0';
    try {
      do {
        const reply = (await this.redis.xautoclaim(
          this.keys.reports,
          REPORT_CONSUMER_GROUP,
          this.consumer,
          0,
          cursor,
          'COUNT',
          this.batchSize,
        )) as [string, (StreamEntry | null)[], ...unknown[]];
        cursor = reply[0];
        this.decodeInto(batch, reply[1]);
      } while (cursor !== '0-0');
    } catch (error) {
      throw toQueueError(error, 'claiming unacknowledged reports');
    }
    return batch;
  }

  /** Reads new entries, waiting up to `blockMs` when there are none. */
  async read(): Promise<ReportBatch> {
    const batch: ReportBatch = { reports: [], malformed: [] };
    let reply: [string, StreamEntry[]][] | null;
    try {
      reply = (await this.blocking.xreadgroup(
        'GROUP',
        REPORT_CONSUMER_GROUP,
        this.consumer,
        'COUNT',
        this.batchSize,
        'BLOCK',
        this.blockMs,
        'STREAMS',
        this.keys.reports,
        '>',
      )) as [string, StreamEntry[]][] | null;
    } catch (error) {
      throw toQueueError(error, 'reading reports');
    }
    for (const [, entries] of reply ?? []) this.decodeInto(batch, entries);
    return batch;
  }

  /** Acknowledges and deletes handled entries. */
  async acknowledge(ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    try {
      const pipeline = this.redis.pipeline();
      pipeline.xack(this.keys.reports, REPORT_CONSUMER_GROUP, ...ids);
      pipeline.xdel(this.keys.reports, ...ids);
      const results = (await pipeline.exec()) ?? [];
      const failed = results.find(([error]) => error !== null);
      if (failed?.[0]) throw failed[0];
    } catch (error) {
      throw toQueueError(error, 'acknowledging reports');
    }
  }

  /** Entries in the stream not yet handled by any coordinator (for metrics: report lag). */
  async countBacklog(): Promise<number> {
    try {
      return await this.redis.xlen(this.keys.reports);
    } catch (error) {
      throw toQueueError(error, 'counting reports');
    }
  }

  private decodeInto(batch: ReportBatch, entries: readonly (StreamEntry | null)[]): void {
    for (const entry of entries) {
      if (entry === null) continue;
      const [id, fields] = entry;
      try {
        batch.reports.push(decodeReport(id, fields ?? []));
      } catch (error) {
        batch.malformed.push({ id, reason: error instanceof Error ? error.message : String(error) });
      }
    }
  }
}
