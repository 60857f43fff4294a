/** The Gerrit store: idempotent on both paths, CI reports and builds, live topics, run links, reparse. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ciReport, type CiReportEvent } from '../../server/cis/ci.topics.js';
import { loadConfig } from '../../server/config/config.js';
import type { EventSummary, GerritEvent } from '../../server/gerrit/events.js';
import { gerritEvent } from '../../server/gerrit/gerrit.topics.js';
import { reparseReports } from '../../server/gerrit/reparse.js';
import { openGerritStore, type GerritStore, type StoreServer } from '../../server/gerrit/store.js';
import { openRuntime, type Runtime } from '../../server/runtime.js';
import { backends } from '../helpers/databases.js';
import {
  ACME,
  ALICE,
  changeAbandoned,
  changeMerged,
  changeRestored,
  commentAdded,
  HOUR,
  patchSetCreated,
  reportAdded,
  T0,
  ZUUL,
} from '../helpers/gerrit-events.js';
import { FIXTURES } from '../helpers/server.js';
import { createReadStream } from 'node:fs';

const SERVER: StoreServer = {
  name: 'review',
  url: 'https://review.example.org',
  cis: [],
  upstream: null,
};
const NOVA = { number: 101 };
const job = (name: string, result = 'SUCCESS', url = `https://logs.example.org/101/${name}/`) => ({
  job: name,
  result,
  url,
});

/** The REST path's copy of an event: Gerrit's message without the `Patch Set N:` header. */
function viaRest(event: GerritEvent): GerritEvent {
  if (event.type !== 'comment-added' || !('comment' in event)) return event;
  return { ...event, comment: event.comment.replace(/^Patch Set \d+:[^\n]*\n\n/, '') };
}

describe.each(backends)('the Gerrit store on $name', (backend) => {
  let database: Awaited<ReturnType<typeof backend.create>>;
  let runtime: Runtime;
  let store: GerritStore;

  beforeEach(async () => {
    database = await backend.create();
    runtime = await openRuntime(loadConfig({ db: database.url }, {}));
    store = await openGerritStore(runtime.services, SERVER);
  });
  afterEach(async () => {
    await store.close();
    await runtime.stop();
    await database.drop();
  });

  const knex = () => runtime.services.db.knex;
  const count = async (table: string, where: Record<string, unknown> = {}) => {
    const [row] = (await knex()(table).where(where).count({ n: '*' })) as { n: number | string }[];
    return Number(row!.n);
  };
  const kinds = async () =>
    ((await knex()('gerrit_comments').select('kind').orderBy('id')) as { kind: string }[]).map(
      (r) => r.kind,
    );

  const history = (): GerritEvent[] => [
    patchSetCreated(NOVA, 1, T0),
    reportAdded(NOVA, 1, T0 + 600, ZUUL, false, [job('tempest-full', 'FAILURE'), job('pep8')]),
    commentAdded(NOVA, 1, T0 + 700, ALICE, 'recheck'),
    reportAdded(NOVA, 1, T0 + 1200, ZUUL, true, [job('tempest-full'), job('pep8')]),
    patchSetCreated(NOVA, 2, T0 + 2 * HOUR),
    reportAdded(NOVA, 2, T0 + 2 * HOUR + 900, ACME, true, [job('acme-smoke')]),
  ];

  it('stores a history once, whichever path delivers it again', async () => {
    const first = await store.accept(history(), 'stream');
    expect(first).toEqual({ stored: 6, duplicates: 0, other: 0, reports: 3 });
    const again = await store.accept(history().map(viaRest), 'rest');
    expect(again).toEqual({ stored: 0, duplicates: 6, other: 0, reports: 0 });
    const replayed = await store.accept(history(), 'replay');
    expect(replayed.duplicates).toBe(6);

    expect(await count('gerrit_changes')).toBe(1);
    expect(await count('gerrit_patch_sets')).toBe(2);
    expect(await kinds()).toEqual(['report', 'recheck', 'report', 'report']);
    expect(await count('ci_reports')).toBe(3);
    expect(await count('ci_builds')).toBe(5);
    expect(await count('ci_systems')).toBe(2);
    const sources = await knex()('gerrit_comments').distinct('source');
    expect(sources).toEqual([{ source: 'stream' }]);
    expect(await store.lastEventTime()).toBe(T0 + 2 * HOUR + 900);

    const reports = await knex()('ci_reports as r')
      .join('ci_systems as c', 'c.id', 'r.ci_id')
      .join('gerrit_accounts as a', 'a.id', 'c.account_id')
      .orderBy('r.id')
      .select('a.key', 'r.verdict', 'r.vote');
    expect(reports).toEqual([
      { key: 'zuul', verdict: 'FAILURE', vote: -1 },
      { key: 'zuul', verdict: 'SUCCESS', vote: 1 },
      { key: 'acme-ci', verdict: 'SUCCESS', vote: 1 },
    ]);
    const builds = await knex()('ci_builds')
      .orderBy('id')
      .limit(2)
      .select('job', 'result', 'duration', 'voting', 'log_url');
    expect(builds.map((b) => ({ ...b, voting: Boolean(b.voting) }))).toEqual([
      {
        job: 'tempest-full',
        result: 'FAILURE',
        duration: 182,
        voting: true,
        log_url: 'https://logs.example.org/101/tempest-full/',
      },
      {
        job: 'pep8',
        result: 'SUCCESS',
        duration: 182,
        voting: true,
        log_url: 'https://logs.example.org/101/pep8/',
      },
    ]);
    const upstream = await knex()('ci_systems as c')
      .join('gerrit_accounts as a', 'a.id', 'c.account_id')
      .where('c.upstream', 1)
      .select('a.key');
    expect(upstream).toEqual([{ key: 'zuul' }]);
  });

  it('keeps the duplicates of one batch once', async () => {
    const events = history();
    const result = await store.accept([...events, ...events.map(viaRest)], 'stream');
    expect(result).toEqual({ stored: 6, duplicates: 6, other: 0, reports: 3 });
    expect(await count('gerrit_comments')).toBe(4);
  });

  it('takes a comment replayed 10 s later for the same comment, 11 s later for another', async () => {
    const recheck = (at: number) => commentAdded(NOVA, 1, at, ALICE, 'recheck');
    expect((await store.accept([recheck(T0)], 'stream')).stored).toBe(1);
    expect((await store.accept([recheck(T0 + 10)], 'rest')).duplicates).toBe(1);
    expect((await store.accept([recheck(T0 - 10)], 'rest')).duplicates).toBe(1);
    expect((await store.accept([recheck(T0 + 11)], 'rest')).stored).toBe(1);
    expect(await count('gerrit_comments')).toBe(2);
  });

  it("keeps a CI's comment that does not parse and counts it unparsed", async () => {
    const odd = 'The CI system had a hiccup; results will follow.';
    await store.accept([commentAdded(NOVA, 1, T0, ACME, odd)], 'stream');
    // Not a CI yet: nothing of acme-ci has parsed as a report.
    expect(await kinds()).toEqual(['other']);
    await store.accept(
      [
        reportAdded(NOVA, 1, T0 + 60, ACME, true, [job('acme-smoke')]),
        commentAdded(NOVA, 1, T0 + 120, ACME, `${odd} Again.`),
      ],
      'stream',
    );
    // Found to be a CI: its earlier comment is counted with its later one.
    expect(await kinds()).toEqual(['unparsed', 'report', 'unparsed']);
    const messages = await knex()('gerrit_comments')
      .where('kind', 'unparsed')
      .orderBy('id')
      .pluck('message');
    expect(messages).toEqual([odd, `${odd} Again.`]);
  });

  it('takes only the configured accounts for CIs', async () => {
    await store.close();
    store = await openGerritStore(runtime.services, { ...SERVER, cis: ['acme-ci'] });
    const result = await store.accept(
      [
        reportAdded(NOVA, 1, T0, ZUUL, true, [job('pep8')]),
        commentAdded(NOVA, 1, T0 + 60, ACME, 'Something odd.'),
      ],
      'stream',
    );
    expect(result.reports).toBe(0);
    expect(await kinds()).toEqual(['other', 'unparsed']);
    // Reparsed with the same list, nothing changes; without it, zuul's report counts.
    const listed = await reparseReports(runtime.services, {
      servers: [{ name: SERVER.name, cis: ['acme-ci'] }],
    });
    expect(listed).toMatchObject({ reports: 0, unparsed: 1, reclassified: 0 });
    const open = await reparseReports(runtime.services);
    expect(open).toMatchObject({ reports: 1, builds: 1, reclassified: 1 });
    expect(await kinds()).toEqual(['report', 'unparsed']);
  });

  it('supersedes a patch set when the next arrives, in any order', async () => {
    await store.accept(
      [patchSetCreated(NOVA, 3, T0 + 5 * HOUR), patchSetCreated(NOVA, 1, T0)],
      'stream',
    );
    await store.accept([patchSetCreated(NOVA, 2, T0 + 2 * HOUR)], 'stream');
    const rows = (await knex()('gerrit_patch_sets')
      .orderBy('number')
      .select('number', 'superseded_at')) as {
      number: number;
      superseded_at: unknown;
    }[];
    const { toDate } = await import('../../server/db/sql.js');
    expect(
      rows.map((r) => [
        r.number,
        r.superseded_at === null ? null : toDate(r.superseded_at).getTime() / 1000,
      ]),
    ).toEqual([
      [1, T0 + 2 * HOUR],
      [2, T0 + 5 * HOUR],
      [3, null],
    ]);
  });

  it('follows merges, abandons and restores by their time', async () => {
    const { toDate } = await import('../../server/db/sql.js');
    const seconds = (v: unknown) => (v === null ? null : toDate(v).getTime() / 1000);
    await store.accept(
      [patchSetCreated(NOVA, 1, T0), changeAbandoned(NOVA, 1, T0 + HOUR)],
      'stream',
    );
    await store.accept([changeRestored(NOVA, 1, T0 + 2 * HOUR)], 'stream');
    let ps = await knex()('gerrit_patch_sets').first('abandoned_at', 'merged_at');
    expect(seconds(ps.abandoned_at)).toBeNull();
    // The abandonment again (a replay) is a duplicate and does not undo the restore.
    expect((await store.accept([changeAbandoned(NOVA, 1, T0 + HOUR)], 'rest')).duplicates).toBe(1);
    expect((await knex()('gerrit_changes').first('status')).status).toBe('NEW');
    await store.accept([changeMerged(NOVA, 1, T0 + 3 * HOUR)], 'stream');
    // An older event carrying the change's old status does not overwrite the merge.
    await store.accept([commentAdded(NOVA, 1, T0 + 2.5 * HOUR, ALICE, 'late')], 'rest');
    ps = await knex()('gerrit_patch_sets').first('abandoned_at', 'merged_at');
    expect(seconds(ps.merged_at)).toBe(T0 + 3 * HOUR);
    expect((await knex()('gerrit_changes').first('status')).status).toBe('MERGED');
  });

  it('publishes each newly stored event (with who acted) and report after the commit, duplicates not', async () => {
    const events = runtime.services.events;
    const summaries = events.subscribe(gerritEvent)[Symbol.asyncIterator]();
    const reports = events.subscribe(ciReport)[Symbol.asyncIterator]();
    const firstSummary = summaries.next();
    const firstReport = reports.next();
    const other = { type: 'ref-updated', createdOn: T0 + 5, project: 'openstack/nova' };
    await store.accept([patchSetCreated(NOVA, 1, T0), other], 'stream');
    await store.accept(
      [patchSetCreated(NOVA, 1, T0), reportAdded(NOVA, 1, T0 + 60, ZUUL, true, [job('pep8')])],
      'stream',
    );
    const got: EventSummary[] = [(await firstSummary).value as EventSummary];
    for (let i = 0; i < 2; i++) got.push((await summaries.next()).value as EventSummary);
    expect(got).toEqual([
      {
        type: 'patchset-created',
        project: 'openstack/nova',
        change: 101,
        patchSet: 1,
        createdOn: T0,
        author: ALICE.username,
      },
      {
        type: 'ref-updated',
        project: 'openstack/nova',
        change: null,
        patchSet: null,
        createdOn: T0 + 5,
        author: null,
      },
      {
        type: 'comment-added',
        project: 'openstack/nova',
        change: 101,
        patchSet: 1,
        createdOn: T0 + 60,
        author: ZUUL.username,
      },
    ]);
    const report = (await firstReport).value as CiReportEvent;
    expect(report).toMatchObject({
      ci: 'zuul',
      project: 'openstack/nova',
      change: 101,
      patchSet: 1,
      verdict: 'SUCCESS',
      vote: 1,
      createdAt: new Date((T0 + 60) * 1000).toISOString(),
    });
    await summaries.return?.();
    await reports.return?.();
  });

  const ingestRun = (artifactsUrl: string) =>
    runtime.services.ingest.ingest({
      name: 'run',
      source: createReadStream(`${FIXTURES}subunit/sample-last.subunit`),
      metadata: { build_name: 'tempest-full' },
      artifactsUrl,
    });
  const runIdOf = async (uuid: string) =>
    Number((await knex()('runs').where('uuid', uuid).first('id')).id);
  const buildRun = async (jobName: string) =>
    (await knex()('ci_builds').where('job', jobName).first('run_id')).run_id as number | null;

  it('links a build to the run ingested before it (trailing slashes aside)', async () => {
    const run = await ingestRun('https://logs.example.org/101/1/check/tempest-full/abc1234');
    await store.accept(
      [
        reportAdded(NOVA, 1, T0, ZUUL, true, [
          job(
            'tempest-full',
            'SUCCESS',
            'https://logs.example.org/101/1/check/tempest-full/abc1234/',
          ),
          job('pep8'),
        ]),
      ],
      'stream',
    );
    expect(await buildRun('tempest-full')).toBe(await runIdOf(run.run));
    expect(await buildRun('pep8')).toBeNull();
  });

  it('links a build to the run ingested after it', async () => {
    await store.accept(
      [
        reportAdded(NOVA, 1, T0, ZUUL, true, [
          job(
            'tempest-full',
            'SUCCESS',
            'https://logs.example.org/101/1/check/tempest-full/def5678',
          ),
        ]),
      ],
      'stream',
    );
    expect(await buildRun('tempest-full')).toBeNull();
    const run = await ingestRun('https://logs.example.org/101/1/check/tempest-full/def5678/');
    expect(await buildRun('tempest-full')).toBe(await runIdOf(run.run));
  });

  it('derives every report again from the kept messages', async () => {
    await store.accept(
      [...history(), commentAdded(NOVA, 2, T0 + 3 * HOUR, ZUUL, 'No idea what happened.')],
      'stream',
    );
    const before = await knex()('ci_reports').orderBy('id').select('verdict', 'vote', 'pipeline');
    // As an older parser would have left it: no reports, every CI comment unparsed.
    await knex()('ci_builds').delete();
    await knex()('ci_reports').delete();
    await knex()('gerrit_comments').where('kind', 'report').update({ kind: 'unparsed' });
    const counts = await reparseReports(runtime.services);
    expect(counts).toEqual({ comments: 5, reports: 3, builds: 5, unparsed: 1, reclassified: 3 });
    expect(await knex()('ci_reports').orderBy('id').select('verdict', 'vote', 'pipeline')).toEqual(
      before,
    );
    expect(await kinds()).toEqual(['report', 'recheck', 'report', 'report', 'unparsed']);
    // Again: nothing changes.
    expect((await reparseReports(runtime.services)).reclassified).toBe(0);
    expect(await count('ci_builds')).toBe(5);
  });

  it('keeps a long message cut to 64 KiB and skips events it cannot store whole', async () => {
    const long = `recheck ${'x'.repeat(100_000)}`;
    const absurd = patchSetCreated({ number: 2 ** 40 }, 1, T0);
    const result = await store.accept(
      [commentAdded(NOVA, 1, T0, ALICE, long), absurd, patchSetCreated(NOVA, 2, T0 + 60)],
      'stream',
    );
    expect(result).toEqual({ stored: 2, duplicates: 0, other: 1, reports: 0 });
    const [kept] = await knex()('gerrit_comments').pluck('message');
    expect(Buffer.byteLength(kept as string)).toBe(64 * 1024);
    expect(long.startsWith(kept as string)).toBe(true);
    expect(await count('gerrit_changes')).toBe(1);
  });
});
