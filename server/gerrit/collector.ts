/**
 * The collector of one Gerrit server: stream-events lines into the sink, in order and in
 * batches, and REST catch-ups that recover what the stream missed — on start, after every
 * (re)connect, after a failed write, and every `poll` when there is no stream.
 */
import { isStored, type GerritEvent, type StoredEvent } from './events.js';
import { normaliseLine } from './normalize.js';
import type { ProjectFilter } from './projects.js';
import type { GerritRest } from './rest.js';
import { changeToEvents } from './rest-changes.js';
import type { EventSink, EventSource } from './sink.js';
import { startSshStream, type SshStream, type SshStreamOptions } from './ssh-stream.js';
import { countedWarnings, type WarningKind } from './warnings.js';

export interface CollectorOptions {
  /** The server's name, in every log line. */
  readonly server: string;
  /** REST, for catch-ups (and polling without `ssh`). */
  readonly rest?: GerritRest | null;
  /** stream-events; without it, REST is polled every `poll`. */
  readonly ssh?: SshStreamOptions | null;
  readonly sink: EventSink;
  /** REST polling period without `ssh`, ms. */
  readonly poll: number;
  /** History fetched on an empty database: a duration back from now (ms) or a date. */
  readonly since: number | Date;
  /** A catch-up starts this long before the last event stored, ms. */
  readonly margin: number;
  readonly projects: ProjectFilter;
  readonly log: (message: string) => void;
  /** Stream events per write. Default 200. */
  readonly batchSize?: number;
  /** The longest a stream event waits for its batch to fill, ms. Default 50. */
  readonly batchDelayMs?: number;
  /** Events waiting for the sink past which the stream is paused. Default 5,000. */
  readonly maxQueued?: number;
  /** Delay before a failed catch-up is tried again, ms. Default 30 s (or `poll` if shorter). */
  readonly retryMs?: number;
}

/** What a collector has done so far. */
export interface CollectorFigures {
  /** Lines read from stream-events. */
  readonly lines: number;
  readonly stored: number;
  readonly duplicates: number;
  /** Accepted events of types not stored. */
  readonly other: number;
  readonly reports: number;
  /** Events dropped by the `--project` patterns. */
  readonly filtered: number;
  /** Changes read by catch-ups. */
  readonly restChanges: number;
  readonly catchUps: number;
  readonly catchUpFailures: number;
  /** A catch-up is running or asked for. */
  readonly catchingUp: boolean;
  /** Reading the stream is paused until the sink catches up. */
  readonly streamPaused: boolean;
  readonly connects: number;
  readonly disconnects: number;
  /** Counted warnings by kind. */
  readonly warnings: Readonly<Record<WarningKind, number>>;
}

export interface Collector {
  figures(): CollectorFigures;
  /** Stops the stream and the polling, writes what is pending, waits for a running catch-up. */
  stop(): Promise<void>;
}

/** The event types Gerrit itself sends; others come from plugins (counted as unknown). */
const GERRIT_TYPES = new Set([
  'patchset-created',
  'comment-added',
  'change-merged',
  'change-abandoned',
  'change-restored',
  'change-deleted',
  'ref-updated',
  'ref-replicated',
  'ref-replication-done',
  'reviewer-added',
  'reviewer-deleted',
  'vote-deleted',
  'topic-changed',
  'hashtags-changed',
  'wip-state-changed',
  'private-state-changed',
  'project-created',
  'project-head-updated',
  'dropped-output',
  'draft-published',
  'merge-failed',
  'assignee-changed',
]);

export async function startCollector(options: CollectorOptions): Promise<Collector> {
  const { sink, projects } = options;
  const batchSize = options.batchSize ?? 200;
  const batchDelayMs = options.batchDelayMs ?? 50;
  const maxQueued = options.maxQueued ?? 5_000;
  const retryMs = options.retryMs ?? Math.min(30_000, options.poll);
  const log = (message: string) => options.log(`gerrit ${options.server}: ${message}`);
  const warnings = countedWarnings(log);
  const counts = {
    lines: 0,
    stored: 0,
    duplicates: 0,
    other: 0,
    reports: 0,
    filtered: 0,
    restChanges: 0,
    catchUps: 0,
    catchUpFailures: 0,
    connects: 0,
    disconnects: 0,
  };
  let stopping = false;
  let stream: SshStream | null = null;
  /** Reading from the stream is paused: the sink is behind (back-pressure). */
  let paused = false;

  // Everything reaches the sink through one chain: stream order is kept, and one write at a
  // time is what the store's transactions expect.
  let chain: Promise<unknown> = Promise.resolve();
  let queued = 0;
  /** Newest `createdOn` handed to the sink and stored (or found stored): catch-ups start here. */
  let watermark = await sink.lastEventTime();
  const write = (events: GerritEvent[], source: EventSource): Promise<void> => {
    queued += events.length;
    const done = chain.then(async () => {
      try {
        const result = await sink.accept(events, source);
        counts.stored += result.stored;
        counts.duplicates += result.duplicates;
        counts.other += result.other;
        counts.reports += result.reports;
        const newest = Math.max(...events.map((e) => e.createdOn));
        watermark = watermark === null ? newest : Math.max(watermark, newest);
      } catch (error) {
        log(`storing ${events.length} ${source} events failed (${describe(error)}); catching up`);
        requestCatchUp(Math.min(...events.map((e) => e.createdOn)));
      } finally {
        queued -= events.length;
        if (paused && queued <= maxQueued / 2) {
          paused = false;
          stream?.resume();
        }
      }
    });
    chain = done;
    return done;
  };

  const keep = (event: GerritEvent): boolean => {
    const project = isStored(event)
      ? event.change.project
      : (event as { project?: string }).project;
    if (projects.patterns.length === 0 || (project !== undefined && projects.matches(project))) {
      return true;
    }
    counts.filtered += 1;
    return false;
  };

  // Stream lines, batched by count and by a short delay.
  let batch: GerritEvent[] = [];
  let batchTimer: NodeJS.Timeout | undefined;
  const flush = () => {
    clearTimeout(batchTimer);
    batchTimer = undefined;
    if (batch.length === 0) return;
    const full = batch;
    batch = [];
    void write(full, 'stream');
  };
  const onLine = (line: string) => {
    counts.lines += 1;
    const normalised = normaliseLine(line);
    if (!normalised.ok) {
      warnings.warn('invalid', `skipped a stream line: ${normalised.warning}`);
      return;
    }
    for (const warning of normalised.warnings) warnings.warn('normalised', warning);
    const { event } = normalised;
    if (!GERRIT_TYPES.has(event.type)) {
      warnings.warn('unknownType', `an event of unknown type ${JSON.stringify(event.type)}`);
    }
    if (!keep(event)) return;
    batch.push(event);
    if (!paused && queued + batch.length >= maxQueued) {
      paused = true;
      stream?.pause();
    }
    if (batch.length >= batchSize) flush();
    else batchTimer ??= setTimeout(flush, batchDelayMs);
  };

  // Catch-ups: requests made while one runs are merged into one more run, from the
  // earliest time any of them asked. `undefined`: none asked; `null`: from `since`.
  let pendingFloor: number | null | undefined;
  let running: Promise<void> | null = null;
  let retryTimer: NodeJS.Timeout | undefined;
  const requestCatchUp = (from: number | null) => {
    if (options.rest == null || stopping) return;
    pendingFloor = earliest(pendingFloor, from);
    running ??= runCatchUps().finally(() => {
      running = null;
    });
  };
  const runCatchUps = async () => {
    while (pendingFloor !== undefined && !stopping) {
      const floor = pendingFloor;
      pendingFloor = undefined;
      try {
        await catchUp(floor);
      } catch (error) {
        counts.catchUpFailures += 1;
        log(`catch-up failed (${describe(error)}); trying again in ${retryMs} ms`);
        clearTimeout(retryTimer);
        retryTimer = setTimeout(() => requestCatchUp(floor), retryMs);
      }
    }
  };
  /**
   * Pages are read by offset (`S=`) from a list sorted by `updated`: a change updated while the
   * pages are read jumps to the front, past the offsets already read, and what it missed would
   * stay missed. So a catch-up that read anything is followed by one more, from its own start
   * (the newest event time known then, Gerrit's clock rather than ours): it reads only the
   * changes updated meanwhile (usually one page, which cannot skip).
   */
  const catchUp = async (floor: number | null, followUp = false) => {
    const startedAt = Math.min(Date.now() / 1000, watermark ?? Infinity);
    const from =
      floor === null
        ? options.since instanceof Date
          ? options.since
          : new Date(Date.now() - options.since)
        : new Date(floor * 1000 - options.margin);
    counts.catchUps += 1;
    let changes = 0;
    let pending: StoredEvent[] = [];
    for await (const info of options.rest!.changesUpdatedSince(from, projects)) {
      if (stopping) break;
      changes += 1;
      counts.restChanges += 1;
      const { events, warnings: found } = changeToEvents(info);
      for (const warning of found) warnings.warn('rest', warning);
      pending.push(...events.filter(keep));
      if (pending.length >= batchSize) {
        await write(pending, 'rest');
        pending = [];
      }
    }
    if (pending.length > 0) await write(pending, 'rest');
    log(`caught up from ${from.toISOString()}: ${changes} changes`);
    if (!followUp && changes > 0 && !stopping) await catchUp(startedAt, true);
  };

  // The stream, or polling.
  let pollTimer: NodeJS.Timeout | undefined;
  requestCatchUp(watermark);
  if (options.ssh) {
    stream = startSshStream(options.ssh);
    stream.on('connected', () => {
      counts.connects += 1;
      log('stream-events connected');
      // Snapshot now: this connection's lines are all handled after this point.
      requestCatchUp(watermark);
    });
    stream.on('disconnected', (reason) => {
      if (stopping) return;
      counts.disconnects += 1;
      log(`stream-events disconnected: ${reason}`);
    });
    stream.on('line', onLine);
    stream.on('tooLong', (bytes) =>
      warnings.warn('tooLong', `skipped a stream line of ${bytes} bytes (longer than the cap)`),
    );
  } else if (options.rest) {
    pollTimer = setInterval(() => requestCatchUp(watermark), options.poll);
  }

  return {
    figures: () => ({
      ...counts,
      catchingUp: running !== null || pendingFloor !== undefined,
      streamPaused: paused,
      warnings: warnings.counts(),
    }),
    async stop() {
      stopping = true;
      clearInterval(pollTimer);
      clearTimeout(retryTimer);
      await stream?.close();
      flush();
      await running;
      await chain;
    },
  };
}

/** The earlier of two catch-up floors, `null` (from `since`) being the earliest. */
function earliest(pending: number | null | undefined, asked: number | null): number | null {
  if (pending === undefined) return asked;
  return pending === null || asked === null ? null : Math.min(pending, asked);
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
