/**
 * The collector against the Gerrit stand-in, writing to a recording sink: catch-up on start,
 * stream lines in order, a cut mid-stream recovered by a catch-up from the right time,
 * polling without SSH, counted warnings, project patterns.
 */
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import {
  startCollector,
  type Collector,
  type CollectorOptions,
} from '../../server/gerrit/collector.js';
import { isStored, type GerritEvent } from '../../server/gerrit/events.js';
import { loadKnownHosts } from '../../server/gerrit/known-hosts.js';
import { projectFilter } from '../../server/gerrit/projects.js';
import { createGerritRest, gerritDate } from '../../server/gerrit/rest.js';
import { parseSshUrl } from '../../server/gerrit/ssh-stream.js';
import { createHttpClient } from '../../server/http/client.js';
import { deferred } from '../helpers/deferred.js';
import { ciComment, generateSequence, patchsetCreated } from '../helpers/gerrit-sequence.js';
import {
  startGerritStandin,
  type GerritStandin,
  type RawEvent,
} from '../helpers/gerrit-standin.js';
import { recordingSink, type RecordingSink } from '../helpers/recording-sink.js';

const NOW = Math.floor(Date.now() / 1000);
const START = NOW - 3 * 3600;
const open: { standin: GerritStandin; collector?: Collector }[] = [];
afterEach(async () => {
  for (const { standin, collector } of open.splice(0)) {
    await collector?.stop();
    await standin.close();
  }
});

async function until(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((resolve) => setTimeout(resolve, 5));
}

interface Setup {
  standin: GerritStandin;
  collector: Collector;
  sink: RecordingSink;
  logs: string[];
}

async function collect(
  events: RawEvent[],
  overrides: Partial<CollectorOptions> & {
    withSsh?: boolean;
    sink?: RecordingSink;
    restFailures?: { count: number; status: number };
  } = {},
): Promise<Setup> {
  const standin = await startGerritStandin({
    events,
    pageSize: 3,
    ...(overrides.restFailures ? { restFailures: overrides.restFailures } : {}),
  });
  const entry: { standin: GerritStandin; collector?: Collector } = { standin };
  open.push(entry);
  const sink = overrides.sink ?? recordingSink();
  const logs: string[] = [];
  const withSsh = overrides.withSsh ?? true;
  const collector = await startCollector({
    server: 'standin',
    rest: createGerritRest({
      url: standin.restUrl,
      http: createHttpClient({ backoffMs: 1, maxBackoffMs: 5 }),
    }),
    ssh: withSsh
      ? {
          target: parseSshUrl(standin.sshUrl)!,
          privateKey: readFileSync(standin.clientKey, 'utf8'),
          knownHosts: loadKnownHosts(standin.knownHosts),
          backoffMs: 10,
          maxBackoffMs: 50,
        }
      : null,
    sink,
    poll: 60_000,
    since: 24 * 3600_000,
    margin: 10 * 60_000,
    projects: projectFilter([]),
    log: (line) => logs.push(line),
    batchDelayMs: 5,
    ...overrides,
  });
  entry.collector = collector;
  return { standin, collector, sink, logs };
}

/** What the stream delivered to the sink, in order. */
function streamed(sink: RecordingSink): GerritEvent[] {
  return sink.batches.filter((b) => b.source === 'stream').flatMap((b) => b.events);
}

/** Live events after the history: change 2000+i, a patch set and a CI comment each. */
function live(from: number, changes: number): RawEvent[] {
  const out: RawEvent[] = [];
  for (let i = 0; i < changes; i++) {
    const time = NOW - 1800 + (from + i) * 120;
    const at = { number: 2000 + from + i, patchSet: 1 };
    out.push(
      patchsetCreated({ ...at, time }),
      ciComment({ ...at, time: time + 60, created: time }),
    );
  }
  return out;
}

describe('startCollector', () => {
  it('catches up on an empty database from now - since, following the pages', async () => {
    const history = generateSequence({ changes: 7, start: START });
    const { sink, standin } = await collect(history, { withSsh: false });
    await until(() => sink.stored.size === 14);
    const first = standin.restRequests[0]!;
    const since = Date.parse(`${/since:"([^"]+)"/.exec(first.get('q')!)![1]!.replace(' ', 'T')}Z`);
    expect(Math.abs(since - (Date.now() - 24 * 3600_000))).toBeLessThan(60_000);
    // Then one more from the catch-up's own start, for the changes updated while it paged.
    await until(() => standin.restRequests.length === 4);
    expect(standin.restRequests.map((p) => p.get('S'))).toEqual([null, '3', '6', null]);
    const followUp = Date.parse(
      `${/since:"([^"]+)"/.exec(standin.restRequests[3]!.get('q')!)![1]!.replace(' ', 'T')}Z`,
    );
    expect(Math.abs(followUp - (Date.now() - 10 * 60_000))).toBeLessThan(60_000);
    expect(new Set(sink.sources.values())).toEqual(new Set(['rest']));
  });

  it('streams lines into the sink in order, in batches', async () => {
    const { sink, standin, collector } = await collect([]);
    await standin.waitForStreams(1);
    const events = live(0, 5);
    for (const event of events) standin.emit(event);
    await until(() => streamed(sink).length === 10);
    expect(streamed(sink).map((e) => e.createdOn)).toEqual(events.map((e) => e.eventCreatedOn));
    expect(collector.figures()).toMatchObject({ lines: 10, stored: 10, connects: 1 });
  });

  it('recovers every event missed while cut, by a catch-up from the last event seen', async () => {
    const history = generateSequence({ changes: 4, start: START });
    const { sink, standin, collector, logs } = await collect(history);
    await until(() => sink.stored.size === 8 && standin.streams() === 1);
    await until(() => !collector.figures().catchingUp);
    const before = live(0, 2);
    for (const event of before) standin.emit(event);
    // Stored through the stream (the watermark the reconnect's catch-up starts from).
    await until(() => streamed(sink).length === 4);
    const requestsBefore = standin.restRequests.length;
    const lastSeen = Number(before.at(-1)!.eventCreatedOn);

    standin.cut();
    // Emitted while no stream is connected: only a catch-up can bring these.
    const missed = live(2, 4);
    for (const event of missed) standin.emit(event);
    await until(() => sink.stored.size === 20);

    const after = standin.restRequests.slice(requestsBefore);
    expect(after[0]!.get('q')).toBe(`since:"${gerritDate(new Date((lastSeen - 600) * 1000))}"`);
    // Six changes updated since then, three a page: the second page followed with S=3.
    expect(after.slice(0, 2).map((p) => p.get('S'))).toEqual([null, '3']);
    for (const event of missed) {
      const key = [...sink.stored.entries()].find(([, e]) => e.createdOn === event.eventCreatedOn);
      expect(sink.sources.get(key![0])).toBe('rest');
    }
    expect(collector.figures()).toMatchObject({ connects: 2, disconnects: 1, stored: 20 });
    expect(logs).toContain(
      'gerrit standin: stream-events disconnected: the server closed the connection',
    );
    // After the reconnect the stream flows again.
    standin.emit(live(6, 1)[0]!);
    await until(() => sink.stored.size === 21);
  });

  it('pauses the stream while the sink is behind, and resumes once it catches up', async () => {
    const recording = recordingSink();
    const gate = deferred();
    const slow: RecordingSink = {
      ...recording,
      accept: async (events, source) => {
        await gate.promise;
        return recording.accept(events, source);
      },
    };
    const { standin, collector } = await collect([], {
      sink: slow,
      batchSize: 2,
      maxQueued: 4,
    });
    await standin.waitForStreams(1);
    const events = live(0, 5);
    for (const event of events) standin.emit(event);
    await until(() => collector.figures().streamPaused);
    gate.resolve();
    await until(() => streamed(recording).length === 10);
    expect(collector.figures().streamPaused).toBe(false);
    expect(streamed(recording).map((e) => e.createdOn)).toEqual(
      events.map((e) => e.eventCreatedOn),
    );
  });

  it('polls REST without SSH', async () => {
    const { sink, standin } = await collect(generateSequence({ changes: 1, start: START }), {
      withSsh: false,
      poll: 50,
    });
    await until(() => sink.stored.size === 2);
    for (const event of live(0, 1)) standin.emit(event);
    await until(() => sink.stored.size === 4);
    expect(standin.restRequests.length).toBeGreaterThanOrEqual(2);
  });

  it('tries a catch-up again when Gerrit keeps failing, until it answers', async () => {
    const { sink, standin, collector, logs } = await collect(
      generateSequence({ changes: 2, start: START }),
      { withSsh: false, retryMs: 20, restFailures: { count: 4, status: 503 } },
    );
    await until(() => sink.stored.size === 4);
    // The HTTP client's own 4 attempts fail; the collector's retry gets the fifth answer.
    expect(standin.restRequests.length).toBeGreaterThanOrEqual(5);
    expect(collector.figures().catchUpFailures).toBe(1);
    expect(logs.find((l) => l.includes('catch-up failed'))).toMatch(
      /^gerrit standin: catch-up failed \(GET .*: answered 503: stand-in failure \(after 4 attempts\)\); trying again in 20 ms$/,
    );
  });

  it('catches up again when the sink refuses a write', async () => {
    const sink = recordingSink();
    sink.failNext(1);
    const { logs } = await collect(generateSequence({ changes: 2, start: START }), {
      withSsh: false,
      sink,
    });
    await until(() => sink.stored.size === 4);
    expect(logs.some((l) => l.includes('storing 4 rest events failed'))).toBe(true);
  });

  it('counts invalid, unknown and too long lines, logging each kind once a minute', async () => {
    const { collector, standin, logs } = await collect([]);
    await standin.waitForStreams(1);
    standin.emitLine('{not json');
    standin.emitLine('{also not json');
    standin.emitLine('{"type":"plugin-thing","eventCreatedOn":5}');
    standin.emitLine(`{"type":"comment-added","comment":"${'x'.repeat(2 << 20)}"}`);
    standin.emit(live(0, 1)[0]!);
    // The event may come by REST first; the stream's lines are what is counted here.
    await until(() => collector.figures().lines === 4);
    expect(collector.figures().warnings).toMatchObject({ invalid: 2, unknownType: 1, tooLong: 1 });
    expect(logs.filter((l) => l.includes('skipped a stream line:'))).toHaveLength(1);
    expect(logs.find((l) => l.includes('skipped a stream line:'))).toMatch(
      /^gerrit standin: skipped a stream line: .* \(invalid warnings: 1 so far\)$/,
    );
  });

  it('keeps only the projects matching --project', async () => {
    const history = generateSequence({
      changes: 4,
      start: START,
      projects: ['openstack/nova', 'x/other'],
    });
    const { sink, collector } = await collect(history, {
      withSsh: false,
      projects: projectFilter(['openstack/*']),
    });
    await until(() => sink.stored.size === 4);
    const projects = [...sink.stored.values()].map((e) => (isStored(e) ? e.change.project : null));
    expect(new Set(projects)).toEqual(new Set(['openstack/nova']));
    await collector.stop();
    expect(sink.stored.size).toBe(4);
  });
});
