/**
 * Failure signatures and known-issue rules over the insight history (real stestr streams),
 * through a real server on SQLite and MariaDB: every signature's counts, the new marking, rule
 * hits on past and future runs, the imprecise and stale flags, a slow rule disabled at ingest,
 * and deleteRun taking it all back.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { createToken } from '../../server/tokens/token.service.js';
import { backends } from '../helpers/databases.js';
import { insightHistory } from '../helpers/insight-history.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { failuresOf, signaturesOf, type OracleFailure } from '../helpers/signature-oracle.js';

const HISTORY = insightHistory.map((r) => ({
  file: `insights/${r.file}`,
  job: r.metadata.build_name,
}));
const FIRST_HALF = 12;

const ADD = `mutation ($rule: KnownIssueRuleInput!) {
  addKnownIssueRule(rule: $rule) { id hits passedHits disabledReason imprecise stale }
}`;
const RULES = `{ knownIssueRules { id field pattern title hits passedHits lastHit imprecise stale disabledReason } }`;
const SIGNATURE = `query ($fp: ID!) {
  signature(fingerprint: $fp) {
    fingerprint summary failures runs
    tests { name failures } jobs { name failures }
    overTime(resolution: WEEK) { failures runs }
    exampleRun { id } exampleTraceback(lines: 1)
  }
}`;
const RUN_FAILURES = `query ($id: ID!) {
  run(id: $id) {
    results(first: 500, status: [FAIL]) {
      nodes { testId signature { fingerprint summary } newSignature knownIssues { id } }
    }
  }
}`;

interface Rule {
  id: string;
  hits: number;
  passedHits: number;
  lastHit: string | null;
  imprecise: boolean;
  stale: boolean;
  disabledReason: string | null;
}

describe.each(backends)('signatures on $name', (backend) => {
  let server: TestServer;
  let auth: Record<string, string>;
  const uuids: string[] = [];
  const failures = failuresOf(HISTORY);
  const rules: Record<string, string> = {};

  // Rules go stale after a minute here (the history's runs are older than that); six at most.
  beforeAll(async () => {
    server = await startServer(backend, {
      GATEWATCH_RULE_STALE_AFTER: '1m',
      GATEWATCH_RULE_MAX_RULES: '6',
    });
    auth = { authorization: `Bearer ${(await createToken(server.app.services.db, 'ci')).secret}` };
  });

  async function ingest(from: number, to: number): Promise<void> {
    for (const run of insightHistory.slice(from, to)) {
      uuids.push((await server.ingest(`insights/${run.file}`, run.metadata)).run);
    }
  }

  async function addRule(field: string, pattern: string, title: string): Promise<Rule> {
    const answer = await server.query<{ addKnownIssueRule: Rule }>(
      ADD,
      {
        rule: {
          field: field.toUpperCase(),
          pattern,
          title,
          bugUrl: `https://bugs.example/${title}`,
        },
      },
      auth,
    );
    expect(answer.body.errors).toBeUndefined();
    rules[title] = answer.body.data!.addKnownIssueRule.id;
    return answer.body.data!.addKnownIssueRule;
  }

  async function ruleList(): Promise<Record<string, Rule>> {
    const answer = await server.query<{ knownIssueRules: (Rule & { title: string })[] }>(RULES);
    return Object.fromEntries(answer.body.data!.knownIssueRules.map((r) => [r.title, r]));
  }

  async function expectSignatures(stored: readonly OracleFailure[]): Promise<void> {
    const expected = signaturesOf(stored);
    const page = await server.query<{
      signatures: { totalCount: number; nodes: { fingerprint: string }[] };
    }>(`{ signatures(first: 100) { totalCount nodes { fingerprint } } }`);
    expect(page.body.data!.signatures.totalCount).toBe(expected.size);
    expect(page.body.data!.signatures.nodes.map((n) => n.fingerprint).sort()).toEqual(
      [...expected.keys()].sort(),
    );
    for (const s of expected.values()) {
      const answer = await server.query<{ signature: Record<string, unknown> }>(SIGNATURE, {
        fp: s.fingerprint,
      });
      const got = answer.body.data!.signature;
      expect(got).toMatchObject({
        fingerprint: s.fingerprint,
        summary: s.summary,
        failures: s.failures,
        runs: s.runs,
        tests: s.tests,
        jobs: s.jobs,
        exampleRun: { id: uuids[s.firstRun] },
      });
      const weeks = got.overTime as { failures: number; runs: number }[];
      expect(weeks.reduce((n, w) => n + w.failures, 0)).toBe(s.failures);
      expect(weeks.reduce((n, w) => n + w.runs, 0)).toBe(s.runs);
      expect(got.exampleTraceback).toBe(
        stored.find((f) => f.fingerprint === s.fingerprint)!.message,
      );
    }
  }

  it('a rule whose match backtracks catastrophically is disabled at ingest; the runs are stored', async () => {
    // Added while nothing has failed yet: nothing to apply it to.
    expect(await addRule('traceback', '^(\\S+\\s*)+ZZZ$', 'slow')).toMatchObject({
      hits: 0,
      disabledReason: null,
    });
    await ingest(0, FIRST_HALF);
    const { slow } = await ruleList();
    expect(slow!.disabledReason).toMatch(/^matching 1 failures took longer than 50 ms/);
    expect(slow!.hits).toBe(0);
    const runs = await server.query<{ runs: { totalCount: number } }>(`{ runs { totalCount } }`);
    expect(runs.body.data!.runs.totalCount).toBe(FIRST_HALF);
  });

  it('counts every signature of the first half', async () => {
    await expectSignatures(failures.filter((f) => f.run < FIRST_HALF));
  });

  it('applies new rules to past failures', async () => {
    const parseConfig = failures.find((f) => f.testId.endsWith('test_parse_config'))!.fingerprint;
    const past = failures.filter((f) => f.run < FIRST_HALF);
    const timeouts = past.filter((f) => /^TimeoutError: timed out after/.test(f.message)).length;
    expect(timeouts).toBeGreaterThan(0);
    expect(await addRule('message', '^TimeoutError: timed out after', 'timeout')).toMatchObject({
      hits: timeouts,
    });
    expect(await addRule('test', 'test_delete_volume$', 'volume')).toMatchObject({ hits: 0 });
    expect(await addRule('fingerprint', parseConfig, 'config')).toMatchObject({
      hits: past.filter((f) => f.fingerprint === parseConfig).length,
    });
  });

  it('disables a rule that backtracks catastrophically over past failures when it is added', async () => {
    const slow = await addRule('traceback', '^(\\S+\\s*)+ZZZ$', 'slow-past');
    expect(slow.hits).toBe(0);
    expect(slow.disabledReason).toMatch(/^matching \d+ failures took longer than 50 ms/);
  });

  it('applies the rules to future failures; counts and new markings hold over the whole history', async () => {
    await ingest(FIRST_HALF, HISTORY.length);
    await expectSignatures(failures);
    const list = await ruleList();
    const count = (match: (f: OracleFailure) => boolean) => failures.filter(match).length;
    expect(list.timeout!.hits).toBe(count((f) => /^TimeoutError: timed out after/.test(f.message)));
    expect(list.volume!.hits).toBe(count((f) => /test_delete_volume$/.test(f.testId)));
    expect(list.volume!.hits).toBe(5);
    const expected = signaturesOf(failures);
    for (const [index, uuid] of uuids.entries()) {
      const answer = await server.query<{
        run: {
          results: {
            nodes: {
              testId: string;
              signature: { fingerprint: string } | null;
              newSignature: boolean;
              knownIssues: { id: string }[];
            }[];
          };
        };
      }>(RUN_FAILURES, { id: uuid });
      const got = answer.body.data!.run.results.nodes;
      const want = failures.filter((f) => f.run === index);
      expect(got.map((r) => r.signature?.fingerprint)).toEqual(want.map((f) => f.fingerprint));
      expect(got.map((r) => r.newSignature)).toEqual(
        want.map((f) => expected.get(f.fingerprint)!.firstRun === index),
      );
      for (const [i, result] of got.entries()) {
        const f = want[i]!;
        const hit = [
          /^TimeoutError: timed out after/.test(f.message) && rules.timeout,
          /test_delete_volume$/.test(f.testId) && rules.volume,
          f.fingerprint ===
            expected.get(failures.find((x) => x.testId.endsWith('test_parse_config'))!.fingerprint)
              ?.fingerprint && rules.config,
        ].filter((id): id is string => typeof id === 'string');
        expect(result.knownIssues.map((k) => k.id).sort()).toEqual(hit.sort());
      }
    }
    const events = await server.app.services.db
      .knex('insight_events')
      .where('kind', 'signature.new')
      .select('payload');
    expect(events.map((e) => JSON.parse(e.payload as string).fingerprint).sort()).toEqual(
      [...expected.keys()].sort(),
    );
  });

  it('flags a rule imprecise when its hits fall on runs that passed after retries, and stale ones', async () => {
    // sample-retry: test_flaky fails, then passes on its retry: the run passed.
    uuids.push(
      (await server.ingest('subunit/sample-retry.subunit', { build_name: 'retry-job' })).run,
    );
    const retried = await addRule('message', 'first attempt fails', 'retried');
    expect(retried).toMatchObject({ hits: 1, passedHits: 1, imprecise: true });
    const list = await ruleList();
    expect(list.timeout).toMatchObject({ passedHits: 0, imprecise: false, stale: true });
    // No hit, but created a moment ago: not stale yet.
    expect(list.slow).toMatchObject({ hits: 0, stale: false });
  });

  it('reports the share of failures with a known cause per day', async () => {
    const answer = await server.query<{ knownCauseShare: { failures: number; known: number }[] }>(
      `{ knownCauseShare(since: "2000-01-01T00:00:00Z") { failures known } }`,
    );
    const days = answer.body.data!.knownCauseShare;
    const all = failuresOf([
      ...HISTORY,
      { file: 'subunit/sample-retry.subunit', job: 'retry-job' },
    ]);
    expect(days.reduce((n, d) => n + d.failures, 0)).toBe(all.length);
    const list = await ruleList();
    const known = Object.values(list).reduce((n, r) => n + r.hits, 0);
    // No failure of the history matches two rules.
    expect(days.reduce((n, d) => n + d.known, 0)).toBe(known);
  });

  it('refuses rules without a token, bad patterns with the reason, and removes rules', async () => {
    const rule = { field: 'MESSAGE', pattern: 'x', title: 't', bugUrl: 'https://bugs.example/1' };
    const anonymous = await server.query(ADD, { rule });
    expect(anonymous.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    const bad = await server.query(ADD, { rule: { ...rule, pattern: '(unclosed' } }, auth);
    expect(bad.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(bad.body.errors?.[0]?.message).toBe(
      'the pattern is not a regular expression: Invalid regular expression: /(unclosed/: Unterminated group',
    );
    // Six rules stored: the most this server allows.
    const sixth = await server.query(ADD, { rule }, auth);
    expect(sixth.body.errors?.[0]?.message).toBe(
      'there are 6 known-issue rules already, the most signatures.maxRules allows: remove one first',
    );
    const remove = `mutation ($id: ID!) { removeKnownIssueRule(id: $id) }`;
    expect((await server.query(remove, { id: rules.retried }, auth)).body.data).toEqual({
      removeKnownIssueRule: rules.retried,
    });
    const again = await server.query(remove, { id: rules.retried }, auth);
    expect(again.body.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect(Object.keys(await ruleList()).sort()).toEqual([
      'config',
      'slow',
      'slow-past',
      'timeout',
      'volume',
    ]);
  });

  it('deleteRun takes a run out of every signature and deletes those it alone had', async () => {
    const remove = `mutation ($id: ID!) { deleteRun(id: $id) }`;
    // run-20 fails two tests; run-01 alone has test_create_server's signature.
    for (const index of [19, 0]) {
      expect((await server.query(remove, { id: uuids[index] }, auth)).body.errors).toBeUndefined();
    }
    await server.query(remove, { id: uuids.at(-1) }, auth);
    const kept = failuresOf(HISTORY).filter((f) => f.run !== 19 && f.run !== 0);
    // The example of a signature first seen in a deleted run is its next failure.
    await expectSignatures(kept);
    const list = await ruleList();
    expect(list.timeout!.hits).toBe(
      kept.filter((f) => /^TimeoutError: timed out after/.test(f.message)).length,
    );
  });
});
