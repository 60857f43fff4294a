/**
 * DataLoader batching: the number of SQL statements a query costs must not grow with the
 * number of items it lists (no N+1 round trips).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../helpers/databases.js';
import { startServer, type TestServer } from '../helpers/server.js';

const RUNS_PAGE = `query ($first: Int!) { runs(first: $first) { nodes {
  id metadata { key value } artifacts { id kind } dstat { samples } attachments { name }
} } }`;

const GROUPS_PAGE = `query ($first: Int!) { groups(key: "build_name", first: $first) { nodes {
  value series { runs } failedTests { failures } last: failedTests(lastRuns: 1) { failures }
} } }`;

const RESULTS_PAGE = `query ($id: ID!, $first: Int!) { run(id: $id) { results(first: $first) { nodes {
  testId test { testId failures } run { id } attachments { name } tracebackTail
} } } }`;

describe.each(backends)('batched lookups on $name', (backend) => {
  let server: TestServer;
  let statements = 0;
  let failing = '';

  beforeAll(async () => {
    server = await startServer(backend);
    const fixtures = [
      'subunit/stestr-failure.subunit',
      'subunit/stestr-successful.subunit',
      'subunit/stestr-all_skips.subunit',
      'subunit/sample-retry.subunit',
    ];
    for (const [i, fixture] of fixtures.entries()) {
      const summary = await server.ingest(fixture, { build_name: `job-${i}` });
      if (i === 0) failing = summary.run;
    }
    server.app.services.db.knex.on('query', () => statements++);
  });

  async function statementsFor(query: string, variables: Record<string, unknown>) {
    const before = statements;
    const { body } = await server.query(query, variables);
    expect(body.errors).toBeUndefined();
    return statements - before;
  }

  it('lists runs with their metadata, artifacts, dstat and files in a fixed number of statements', async () => {
    const one = await statementsFor(RUNS_PAGE, { first: 1 });
    const four = await statementsFor(RUNS_PAGE, { first: 4 });
    expect(four).toBe(one);
  });

  it('pages groups with their series and failed tests in a fixed number of statements', async () => {
    const one = await statementsFor(GROUPS_PAGE, { first: 1 });
    const four = await statementsFor(GROUPS_PAGE, { first: 4 });
    expect(four).toBe(one);
  });

  it('pages results with their tests, runs, attachments and tracebacks in a fixed number of statements', async () => {
    // Both pages hold the failing result, so both read one traceback's content.
    const { body } = await server.query<{ run: { results: { nodes: { seq: number }[] } } }>(
      `query ($id: ID!) { run(id: $id) { results(status: [FAIL]) { nodes { seq } } } }`,
      { id: failing },
    );
    const failingSeq = body.data!.run.results.nodes[0]!.seq;
    const small = await statementsFor(RESULTS_PAGE, { id: failing, first: failingSeq + 1 });
    const whole = await statementsFor(RESULTS_PAGE, { id: failing, first: 500 });
    expect(whole).toBe(small);
  });
});
