/**
 * Flaky and broken verdicts over the shared insight history (real stestr streams), on every
 * backend: each verdict with its evidence over GraphQL on a real server, its history and
 * outbox events, `Test.verdicts`, paging, and deleteRun taking a run's share back out.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/config/config.js';
import { createToken } from '../../server/tokens/token.service.js';
import { backends } from '../helpers/databases.js';
import {
  ingestInsightHistory,
  insightHistory,
  insightTests as t,
  type StoredInsightRun,
} from '../helpers/insight-history.js';
import { startServer, type TestServer } from '../helpers/server.js';

const FLAKY = `query ($filter: FlakyFilter, $first: Int, $after: String) {
  flakyTests(filter: $filter, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    nodes {
      testId scope verdict reason runs failures firstSeen lastSeen
      evidence { runs { run job result retried change patchset } patchSets { change patchset passes failures } transitions }
      history { from to reason run }
    }
  }
}`;

interface Node {
  testId: string;
  scope: string;
  verdict: string;
  reason: string;
  runs: number;
  failures: number;
  firstSeen: string;
  lastSeen: string;
  evidence: {
    runs: {
      run: string;
      job: string;
      result: string;
      retried: boolean;
      change: number;
      patchset: number;
    }[];
    patchSets: { change: number; patchset: number; passes: number; failures: number }[];
    transitions: number;
  };
  history: { from: string | null; to: string; reason: string; run: string | null }[];
}

/** What the history was made to hold (make-insight-fixtures.sh): test, scope, verdict, reason. */
const EXPECTED = [
  [t.createServer, 'job:acme-unit', 'FLAKY', 'same-code'],
  [t.createServer, 'project:acme/api', 'FLAKY', 'same-code'],
  [t.createServer, 'branch:master', 'FLAKY', 'same-code'],
  [t.createServer, 'queue:check', 'FLAKY', 'same-code'],
  [t.login, 'job:acme-unit', 'FLAKY', 'same-code'],
  [t.login, 'project:acme/web', 'FLAKY', 'same-code'],
  [t.login, 'branch:master', 'FLAKY', 'same-code'],
  [t.login, 'queue:check', 'FLAKY', 'same-code'],
  // Failed in acme-unit and passed in acme-functional on 106/1: flaky on what both share only.
  [t.lockRelease, 'project:acme/api', 'FLAKY', 'same-code'],
  [t.lockRelease, 'branch:master', 'FLAKY', 'same-code'],
  [t.lockRelease, 'queue:check', 'FLAKY', 'same-code'],
  // Flips in acme-functional on patch sets run once there; on 102/1, 104/2 and 107/2 the unit
  // job passed it where functional failed it.
  [t.networkWait, 'job:acme-functional', 'FLAKY', 'transitions'],
  [t.networkWait, 'project:acme/api', 'FLAKY', 'same-code'],
  [t.networkWait, 'branch:master', 'FLAKY', 'same-code'],
  [t.networkWait, 'branch:stable/2026.1', 'FLAKY', 'same-code'],
  [t.networkWait, 'queue:check', 'FLAKY', 'same-code'],
  [t.deleteVolume, 'job:acme-unit', 'BROKEN', 'broken'],
  [t.deleteVolume, 'project:acme/api', 'BROKEN', 'broken'],
  [t.deleteVolume, 'branch:master', 'BROKEN', 'broken'],
  [t.deleteVolume, 'queue:gate', 'BROKEN', 'broken'],
].map(([testId, scope, verdict, reason]) => `${testId} ${scope} ${verdict} ${reason}`);

async function allVerdicts(server: TestServer, filter?: Record<string, unknown>): Promise<Node[]> {
  const nodes: Node[] = [];
  let after: string | null = null;
  do {
    const page: Awaited<ReturnType<typeof flakyPage>> = await flakyPage(server, filter, after);
    nodes.push(...page.nodes);
    after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
  } while (after !== null);
  return nodes;
}

async function flakyPage(server: TestServer, filter: unknown, after: string | null, first = 7) {
  const response = await server.query<{
    flakyTests: {
      totalCount: number;
      pageInfo: { hasNextPage: boolean; endCursor: string | null };
      nodes: Node[];
    };
  }>(FLAKY, { filter, first, after });
  expect(response.body.errors).toBeUndefined();
  return response.body.data!.flakyTests;
}

const line = (n: Node) => `${n.testId} ${n.scope} ${n.verdict} ${n.reason}`;
const find = (nodes: Node[], testId: string, scope: string) =>
  nodes.find((n) => n.testId === testId && n.scope === scope)!;

describe.each(backends)('flaky verdicts on $name', (backend) => {
  let server: TestServer;
  let runs: StoredInsightRun[];
  let verdicts: Node[];
  const uuid = (order: number) => runs.find((r) => r.order === order)!.uuid;

  beforeAll(async () => {
    server = await startServer(backend);
    runs = await ingestInsightHistory(server);
    verdicts = await allVerdicts(server);
  });

  it('finds every flaky and broken test the history holds, on each scope, and no other', () => {
    expect(verdicts.map(line).sort()).toEqual([...EXPECTED].sort());
    const tested = new Set(verdicts.map((n) => n.testId));
    for (const never of [t.parseConfig, t.listServers, t.showServer, t.resizeServer]) {
      expect(tested.has(never)).toBe(false);
    }
  });

  it('pages by latest failure, the pages adding up to the total', async () => {
    const first = await flakyPage(server, undefined, null);
    expect(first.totalCount).toBe(EXPECTED.length);
    expect(first.nodes).toHaveLength(7);
    const seen = verdicts.map((n) => Date.parse(n.lastSeen));
    expect(seen).toEqual([...seen].sort((a, b) => b - a));
    expect(new Set(verdicts.map((n) => `${n.testId} ${n.scope}`)).size).toBe(EXPECTED.length);
  });

  it('shows the recheck behind a same-code verdict: the patch set and both runs', () => {
    const verdict = find(verdicts, t.createServer, 'job:acme-unit');
    expect(verdict.evidence.patchSets).toEqual([
      { change: 101, patchset: 1, passes: 1, failures: 1 },
    ]);
    expect(verdict.evidence.runs).toEqual([
      { run: uuid(1), job: 'acme-unit', result: 'fail', retried: false, change: 101, patchset: 1 },
      { run: uuid(2), job: 'acme-unit', result: 'pass', retried: false, change: 101, patchset: 1 },
    ]);
    expect([verdict.runs, verdict.failures]).toEqual([13, 1]);
    // Across jobs: the functional run of 101/1 passed it too.
    const project = find(verdicts, t.createServer, 'project:acme/api');
    expect(project.evidence.patchSets).toEqual([
      { change: 101, patchset: 1, passes: 2, failures: 1 },
    ]);
    expect(project.evidence.runs.map((r) => r.run)).toEqual([uuid(1), uuid(2), uuid(3)]);
    const cross = find(verdicts, t.lockRelease, 'project:acme/api');
    expect(cross.evidence.runs.map((r) => [r.job, r.result])).toEqual([
      ['acme-unit', 'fail'],
      ['acme-functional', 'pass'],
    ]);
  });

  it('counts the transitions behind a flip-flopping test, over every run of its job', () => {
    const verdict = find(verdicts, t.networkWait, 'job:acme-functional');
    const functional = runs.filter((r) => r.metadata.build_name === 'acme-functional');
    expect(verdict.evidence.runs.map((r) => r.run)).toEqual(functional.map((r) => r.uuid));
    expect(verdict.evidence.runs.map((r) => r.result).join(' ')).toBe(
      'pass fail pass pass fail pass fail pass pass fail pass',
    );
    expect(verdict.evidence.transitions).toBe(8);
    expect(verdict.evidence.patchSets).toEqual([]);
    expect([verdict.runs, verdict.failures]).toEqual([11, 4]);
  });

  it("shows a broken test's last N failing runs and its first and latest failure", () => {
    const verdict = find(verdicts, t.deleteVolume, 'job:acme-unit');
    expect(verdict.evidence.runs.map((r) => [r.run, r.result])).toEqual([
      [uuid(21), 'fail'],
      [uuid(22), 'fail'],
      [uuid(23), 'fail'],
    ]);
    expect(verdict.failures).toBe(3);
    expect(Date.parse(verdict.firstSeen)).toBeLessThan(Date.parse(verdict.lastSeen));
  });

  it('records each verdict once in its history, made by the run that made it, and tells it', async () => {
    for (const verdict of verdicts) {
      expect(verdict.history).toHaveLength(1);
      expect(verdict.history[0]).toMatchObject({
        from: null,
        to: verdict.verdict,
        reason: verdict.reason,
      });
    }
    expect(find(verdicts, t.createServer, 'job:acme-unit').history[0]!.run).toBe(uuid(2));
    expect(find(verdicts, t.deleteVolume, 'job:acme-unit').history[0]!.run).toBe(uuid(23));
    const events = (
      await server.app.services.db.knex('insight_events').where('kind', 'test.verdict')
    ).map((e) => JSON.parse(e.payload as string));
    expect(events.map((e) => `${e.testId} ${e.scope} ${e.to.toUpperCase()}`).sort()).toEqual(
      verdicts.map((n) => `${n.testId} ${n.scope} ${n.verdict}`).sort(),
    );
    expect(events.every((e) => e.from === null)).toBe(true);
  });

  it('filters by job, project and verdict; a test lists its own verdicts', async () => {
    const unit = await allVerdicts(server, { job: 'acme-unit' });
    expect(unit.map((n) => n.testId).sort()).toEqual(
      [t.createServer, t.deleteVolume, t.login].sort(),
    );
    const either = await allVerdicts(server, { job: 'acme-functional', project: 'acme/web' });
    expect(either.map((n) => n.scope).sort()).toEqual(['job:acme-functional', 'project:acme/web']);
    const broken = await allVerdicts(server, { verdict: 'BROKEN' });
    expect(broken).toHaveLength(4);
    const since = await allVerdicts(server, {
      since: find(verdicts, t.deleteVolume, 'job:acme-unit').lastSeen,
    });
    expect(since.every((n) => n.testId === t.deleteVolume)).toBe(true);
    const test = await server.query<{ test: { verdicts: { scope: string; verdict: string }[] } }>(
      `query ($id: String!) { test(testId: $id) { verdicts { scope verdict } } }`,
      { id: t.lockRelease },
    );
    expect(test.body.data!.test.verdicts).toEqual([
      { scope: 'branch:master', verdict: 'FLAKY' },
      { scope: 'project:acme/api', verdict: 'FLAKY' },
      { scope: 'queue:check', verdict: 'FLAKY' },
    ]);
  });

  it('refuses a page larger than flaky.maxPage', async () => {
    const response = await server.query(FLAKY, { first: 201 });
    expect(response.body.errors?.[0]?.message).toMatch(/first must be 1…200, got 201/);
    const none = await server.query(FLAKY, { first: 0 });
    expect(none.body.errors?.[0]?.message).toMatch(/first must be 1…200, got 0/);
  });
});

describe('the flaky settings', () => {
  it('refuse a value out of range, naming the setting', () => {
    expect(() => loadConfig({}, { GATEWATCH_FLAKY_TRANSITION_RATE: '2' })).toThrow(
      /GATEWATCH_FLAKY_TRANSITION_RATE=2: not a fraction/,
    );
    expect(() => loadConfig({}, { GATEWATCH_FLAKY_SCOPES: 'job,pipeline' })).toThrow(
      /GATEWATCH_FLAKY_SCOPES=job,pipeline: "pipeline" is not a scope: expected some of job, project, branch, queue/,
    );
    expect(loadConfig({}, { GATEWATCH_FLAKY_SCOPES: 'job, job,queue' }).flaky.scopes).toEqual([
      'job',
      'queue',
    ]);
  });
});

describe.each(backends)('deleteRun and the verdicts on $name', (backend) => {
  /** Standings and history without run ids: what two databases can be compared on. */
  async function state(server: TestServer) {
    const knex = server.app.services.db.knex;
    const standings = await knex('flaky_verdicts as v')
      .join('tests as t', 't.id', 'v.test_id')
      .select('t.test_id', 'v.scope', 'v.verdict', 'v.reason', 'v.first_seen', 'v.last_seen');
    const transitions = await knex('flaky_transitions as f')
      .join('tests as t', 't.id', 'f.test_id')
      .select('t.test_id', 'f.scope', 'f.from_verdict', 'f.to_verdict', 'f.reason', 'f.at');
    const key = (r: Record<string, unknown>) => JSON.stringify(Object.values(r));
    return { standings: standings.map(key).sort(), transitions: transitions.map(key).sort() };
  }

  it('leaves the verdicts as if the run had never been ingested', async () => {
    const whole = await startServer(backend);
    const stored = await ingestInsightHistory(whole);
    const auth = {
      authorization: `Bearer ${(await createToken(whole.app.services.db, 'ci')).secret}`,
    };
    // The recheck that made test_create_server flaky, and a run that made test_delete_volume broken.
    for (const order of [2, 22]) {
      const deleted = await whole.query(
        `mutation ($id: ID!) { deleteRun(id: $id) }`,
        {
          id: stored.find((r) => r.order === order)!.uuid,
        },
        auth,
      );
      expect(deleted.body.errors).toBeUndefined();
    }
    const without = await startServer(backend);
    await ingestInsightHistory(
      without,
      insightHistory.filter((r) => r.order !== 2 && r.order !== 22),
    );
    expect(await state(whole)).toEqual(await state(without));
    const left = (await allVerdicts(whole)).map(line);
    // 101/1 stays flaky where its functional run passed it; in acme-unit only the recheck did.
    expect(left.filter((l) => l.startsWith(`${t.createServer} `)).sort()).toEqual([
      `${t.createServer} branch:master FLAKY same-code`,
      `${t.createServer} project:acme/api FLAKY same-code`,
      `${t.createServer} queue:check FLAKY same-code`,
    ]);
    // Without 202/1, acme-unit's last three runs of test_delete_volume include a pass.
    expect(left).not.toContain(`${t.deleteVolume} job:acme-unit BROKEN broken`);
    expect(left).toContain(`${t.deleteVolume} project:acme/api BROKEN broken`);
  });
});
