/**
 * Scraping end to end on each backend: a real log server with autoindex pages, the `scrape`
 * mutation and the `scrapeTaskUpdated` subscription of a real server, its queue fetching and
 * storing the run; the counts are python-subunit's on the same stream. Then the mutation's
 * token, public and rate-limit rules, failures, a transient error retried, and the CLI.
 */
import { readFileSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/config/config.js';
import { openGerritStore } from '../../server/gerrit/store.js';
import { openRuntime } from '../../server/runtime.js';
import { createToken } from '../../server/tokens/token.service.js';
import { gatewatch } from '../helpers/cli.js';
import { backends } from '../helpers/databases.js';
import { patchSetCreated, reportAdded, T0, ZUUL } from '../helpers/gerrit-events.js';
import {
  startLogServer,
  type LogFile,
  type LogServer,
  type LogTree,
} from '../helpers/log-server.js';
import { oracleAvailable, subunitStats } from '../helpers/oracle.js';
import { FIXTURES, startServer, type TestServer } from '../helpers/server.js';

const STREAM = readFileSync(`${FIXTURES}subunit/sample-last.subunit`);
const DSTAT = readFileSync(`${FIXTURES}dstat/dstat-0.8.0-debian.csv`);
const STATS = oracleAvailable ? subunitStats(STREAM) : null;

const SCRAPE = `mutation ($input: String!, $job: String) {
  scrape(input: $input, job: $job) { id state url job error attempts }
}`;
const TASK = `query ($id: ID!) {
  scrapeTask(id: $id) {
    id state stage error attempts bytesFetched
    run { id tests passes failures skips xfails uxsuccesses incomplete metadata { key value } }
  }
}`;

interface TaskAnswer {
  id: string;
  state: string;
  stage: string | null;
  error: string | null;
  attempts: number;
  bytesFetched: number;
  run: {
    id: string;
    tests: number;
    passes: number;
    failures: number;
    skips: number;
    xfails: number;
    uxsuccesses: number;
    incomplete: number;
    metadata: { key: string; value: string }[];
  } | null;
}

let trees = 0;
/** A Zuul v2 job directory of its own: `/NN/CHANGE/1/check/JOB/HASH/`. */
function tree(files: Record<string, LogFile>, style: LogTree['style'] = 'apache'): LogTree {
  trees += 1;
  const change = 271700 + trees;
  return {
    root: `/${String(change).slice(-2)}/${change}/1/check/gate-unit-${trees}/${trees}37cf7b/`,
    style,
    files,
  };
}

const happy = tree({
  'logs/testrepository.subunit.gz': gzipSync(STREAM),
  'logs/dstat-csv_log.txt': DSTAT,
  'job-output.txt': Buffer.from('the console\n'),
});
const consoleOnly = tree({ 'job-output.txt': Buffer.from('no tests ran\n') }, 'nginx');
const empty = tree({ 'README.txt': Buffer.from('nothing here\n') });
let busy = 0;
const flaky = tree({
  // The first download is answered 503, the next ones serve the stream.
  'testrepository.subunit': (res: ServerResponse) => {
    busy += 1;
    if (busy === 1) res.writeHead(503).end('busy');
    else res.writeHead(200, { 'content-length': STREAM.length }).end(STREAM);
  },
});
const publicOnes = [1, 2, 3].map(() => tree({ 'testrepository.subunit': STREAM }));
const cliTree = tree({ 'testrepository.subunit': STREAM }, 'nginx');
/** Two jobs of one change the collector stored: the one to scrape must be named. */
const unitJob = tree({ 'testrepository.subunit': STREAM });
const docsJob = tree({ 'README.txt': Buffer.from('docs\n') });

let logs: LogServer;
beforeAll(async () => {
  logs = await startLogServer([
    happy,
    consoleOnly,
    empty,
    flaky,
    ...publicOnes,
    cliTree,
    unitJob,
    docsJob,
  ]);
});
afterAll(async () => {
  await logs?.close();
});
const urlOf = (t: LogTree) => `${logs.origin}${t.root}`;

describe.each(backends)('scraping on $name', (backend) => {
  let server: TestServer;
  let auth: Record<string, string>;
  beforeAll(async () => {
    server = await startServer(backend, {
      GATEWATCH_SCRAPE_ALLOW_HOSTS: '127.0.0.1',
      GATEWATCH_SCRAPE_RETRY_DELAY: '100ms',
    });
    auth = { authorization: `Bearer ${(await createToken(server.app.services.db, 'ci')).secret}` };
  });

  const scrape = async (input: string) => {
    const answer = await server.query<{ scrape: { id: string; state: string } }>(
      SCRAPE,
      { input },
      auth,
    );
    expect(answer.body.errors).toBeUndefined();
    return answer.body.data!.scrape;
  };
  /** Every update of the task until the subscription completes. */
  const updates = (id: string) =>
    new Promise<TaskAnswer[]>((resolve, reject) => {
      const seen: TaskAnswer[] = [];
      server.ws().subscribe<{ scrapeTaskUpdated: TaskAnswer }>(
        {
          query: `subscription ($id: ID!) {
            scrapeTaskUpdated(id: $id) { id state stage error attempts bytesFetched run { id tests } }
          }`,
          variables: { id },
        },
        {
          next: (message) => {
            if (message.errors) reject(new Error(JSON.stringify(message.errors)));
            else seen.push(message.data!.scrapeTaskUpdated);
          },
          error: reject,
          complete: () => resolve(seen),
        },
      );
    });
  const taskOf = async (id: string) =>
    (await server.query<{ scrapeTask: TaskAnswer }>(TASK, { id })).body.data!.scrapeTask;

  it.skipIf(!oracleAvailable)(
    'scrapes a log URL into a run: live progress, the counts subunit-stats gives, the metadata of the layout',
    async () => {
      const task = await scrape(urlOf(happy));
      expect(task).toMatchObject({ url: urlOf(happy), job: 'gate-unit-1' });
      const seen = await updates(task.id);
      expect(seen[0]!.id).toBe(task.id);
      const last = seen.at(-1)!;
      expect(last).toMatchObject({ state: 'FINISHED', error: null, attempts: 1 });
      expect(seen.some((s) => s.state === 'RUNNING' && s.stage !== null)).toBe(true);
      expect(last.bytesFetched).toBeGreaterThan(0);
      const stored = (await taskOf(task.id)).run!;
      expect({
        total: stored.tests,
        // subunit-stats counts an expected failure and an unexpected success as passed.
        passed: stored.passes + stored.xfails + stored.uxsuccesses,
        failed: stored.failures + stored.incomplete,
        skipped: stored.skips,
      }).toEqual({
        total: STATS!.total,
        passed: STATS!.passed,
        failed: STATS!.failed,
        skipped: STATS!.skipped,
      });
      const metadata = Object.fromEntries(stored.metadata.map((m) => [m.key, m.value]));
      expect(metadata).toMatchObject({
        build_name: 'gate-unit-1',
        build_change: '271701',
        build_patchset: '1',
        build_queue: 'check',
      });
      // Asked again: the same task answers, and resolving the URL finds the stored run.
      expect((await scrape(urlOf(happy))).id).toBe(task.id);
      const resolved = await server.query<{ resolveChange: { jobs: { logUrl: string }[] } }>(
        `query ($input: String!) { resolveChange(input: $input) { jobs { logUrl } } }`,
        { input: urlOf(happy) },
      );
      expect(resolved.body.data!.resolveChange.jobs).toHaveLength(1);
      const linked = await server.app.services.db
        .knex('run_log_keys as k')
        .join('runs as r', 'r.id', 'k.run_id')
        .where('r.uuid', stored.id)
        .first('r.artifacts_url as url');
      expect(linked?.url).toBe(urlOf(happy));
    },
  );

  it('fails a job without a stream with a message naming what was found', async () => {
    const onlyConsole = await scrape(urlOf(consoleOnly));
    expect((await updates(onlyConsole.id)).at(-1)).toMatchObject({
      state: 'FAILED',
      error: `no subunit stream under ${urlOf(consoleOnly)} (console log found: ${urlOf(consoleOnly)}job-output.txt)`,
      run: null,
    });
    const nothing = await scrape(urlOf(empty));
    expect((await updates(nothing.id)).at(-1)).toMatchObject({
      state: 'FAILED',
      error: `no subunit stream or console log under ${urlOf(empty)}`,
    });
  });

  it('retries a transient error (503) after a back-off, and then finishes', async () => {
    busy = 0;
    const task = await scrape(urlOf(flaky));
    const seen = await updates(task.id);
    expect(
      seen.some((s) => s.state === 'QUEUED' && s.attempts === 1 && /503/.test(s.error ?? '')),
    ).toBe(true);
    expect(seen.at(-1)).toMatchObject({ state: 'FINISHED', attempts: 2, error: null });
    expect(busy).toBe(2);
  });

  it('needs a token to scrape', async () => {
    const answer = await server.query(SCRAPE, { input: urlOf(publicOnes[0]!) });
    expect(answer.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('with --public-scrape anyone scrapes, a few times a minute per address (429)', async () => {
    const open = await startServer(backend, {
      GATEWATCH_SCRAPE_ALLOW_HOSTS: '127.0.0.1',
      GATEWATCH_PUBLIC_SCRAPE: '1',
      GATEWATCH_PUBLIC_SCRAPE_RATE: '2',
    });
    for (const t of publicOnes.slice(0, 2)) {
      const answer = await open.query<{ scrape: { state: string } }>(SCRAPE, { input: urlOf(t) });
      expect(answer.body.errors).toBeUndefined();
    }
    const refused = await open.query(SCRAPE, { input: urlOf(publicOnes[2]!) });
    expect(refused.status).toBe(429);
    expect(refused.body.errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
    expect(refused.body.errors?.[0]?.message).toMatch(/more than 2 scrapes a minute from /);
    // A token is not counted.
    const token = (await createToken(open.app.services.db, 'ci')).secret;
    const withToken = await open.query(
      SCRAPE,
      { input: urlOf(publicOnes[2]!) },
      { authorization: `Bearer ${token}` },
    );
    expect(withToken.body.errors).toBeUndefined();
  });

  it('an unknown task is null, and its subscription says so', async () => {
    expect(await taskOf('no-such-task')).toBeNull();
    await expect(updates('no-such-task')).rejects.toThrow(/no scrape task no-such-task/);
  });

  it.skipIf(!oracleAvailable)(
    'gatewatch scrape prints the run as ingest --json does, with task and url; a refused host exits 1',
    async () => {
      const db = await backend.create();
      try {
        const url = urlOf(cliTree);
        const done = await gatewatch(
          ['scrape', '--db', db.url, '--allow-host', '127.0.0.1', url, '--json'],
          { env: {} },
        );
        expect(done.stderr).toBe('');
        expect(done.code).toBe(0);
        const line = JSON.parse(done.out) as Record<string, unknown>;
        expect(line).toMatchObject({
          tests: STATS!.total,
          skips: STATS!.skipped,
          duplicate: false,
          url,
        });
        expect(line.task).toEqual(expect.any(String));
        const again = await gatewatch(['scrape', '--db', db.url, url, '--json'], { env: {} });
        expect(again.code).toBe(0);
        expect(JSON.parse(again.out)).toMatchObject({
          run: line.run,
          task: line.task,
          duplicate: true,
        });

        const refused = await gatewatch(['scrape', '--db', db.url, urlOf(publicOnes[0]!)], {
          env: {},
        });
        expect(refused.code).toBe(1);
        expect(refused.stderr).toContain('127.0.0.1 is not on the allow-list');
      } finally {
        await db.drop();
      }
    },
  );

  it('asks which job when a change has several: the mutation and the CLI list them; --job picks one', async () => {
    const change = { number: 271799, project: 'openstack/nova' };
    const storeIn = async (services: TestServer['app']['services']) => {
      const store = await openGerritStore(services, {
        name: 'review',
        url: 'https://review.example.org',
        cis: [],
        upstream: null,
      });
      await store.accept(
        [
          patchSetCreated(change, 1, T0),
          reportAdded(change, 1, T0 + 600, ZUUL, false, [
            { job: 'nova-unit', result: 'SUCCESS', url: urlOf(unitJob) },
            { job: 'nova-docs', result: 'FAILURE', url: urlOf(docsJob) },
          ]),
        ],
        'stream',
      );
      await store.close();
    };
    await storeIn(server.app.services);
    const asked = await server.query(SCRAPE, { input: String(change.number) }, auth);
    expect(asked.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(asked.body.errors?.[0]?.message).toMatch(/nova-unit.*nova-docs|nova-docs.*nova-unit/);

    const db = await backend.create();
    try {
      const runtime = await openRuntime(loadConfig({ db: db.url }, {}));
      try {
        await storeIn(runtime.services);
      } finally {
        await runtime.stop();
      }
      const listed = await gatewatch(['scrape', '--db', db.url, String(change.number)], {
        env: {},
      });
      expect(listed.code).toBe(2);
      expect(listed.stderr).toMatch(/nova-unit/);
      expect(listed.stderr).toMatch(/nova-docs/);
      const picked = await gatewatch(
        [
          'scrape',
          '--db',
          db.url,
          '--allow-host',
          '127.0.0.1',
          '--job',
          'nova-unit',
          String(change.number),
          '--json',
        ],
        { env: {} },
      );
      expect(picked.stderr).toBe('');
      expect(picked.code).toBe(0);
      expect(JSON.parse(picked.out)).toMatchObject({ url: urlOf(unitJob), duplicate: false });
    } finally {
      await db.drop();
    }
  });
});
