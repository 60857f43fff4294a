/**
 * Query depth and cost limits (server/graphql/limits.ts) over HTTP: refused before execution
 * with 400, QUERY_TOO_DEEP or QUERY_TOO_COSTLY and a message naming the measure and the limit;
 * fragments and variables counted as their inline equivalents; the explorer's introspection
 * query allowed; both limits configurable. The same over WebSocket: test/api/websocket.test.ts.
 */
import { getIntrospectionQuery } from 'graphql';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_PAGE } from '../../server/db/page.js';
import { ErrorCode } from '../../server/graphql/errors.js';
import { backends } from '../helpers/databases.js';
import { fragmentBomb } from '../helpers/queries.js';
import { startServer, type GraphQLResponse, type TestServer } from '../helpers/server.js';

/** The defaults of server/config.ts. */
const MAX_DEPTH = 12;
const MAX_COST = 50_000;
const MAX_FIELDS = 1000;

/**
 * `{ runs { nodes { results { nodes { run { … } } } } } }`, `levels` fields deep (each field
 * one level of nesting), so its depth is `levels` by construction; `levels` ≥ 3.
 */
function nested(levels: number): string {
  // Pages of one: deep, not costly.
  const cycle = ['results(first: 1)', 'nodes', 'run'];
  const path = ['runs(first: 1)', 'nodes'];
  for (let i = 0; path.length < levels - 1; i += 1) path.push(cycle[i % cycle.length]!);
  // Connections have no id.
  const leaf = path.at(-1)!.startsWith('results') ? 'totalCount' : 'id';
  return `{ ${path.join(' { ')} { ${leaf}${' }'.repeat(path.length)} }`;
}

/**
 * The costly query of the brief, and its cost by the model of limits.ts computed by hand:
 * every field costs 1, a paged field's selection counts once per item (`first`), a
 * connection's `nodes` once (the page is already counted), a plain list LIST_GUESS (10) times.
 */
const COSTLY =
  '{ runs(first: 500) { nodes { results(first: 500) { nodes { attachments { text } } } } } }';
const attachments = 1 + 10 * 1; // attachments + 10 × text
const resultNodes = 1 + attachments; // nodes
const results = 1 + 500 * resultNodes;
const runNodes = 1 + results;
const COSTLY_COST = 1 + 500 * runNodes; // runs

function expectRefused(answer: GraphQLResponse, code: ErrorCode, measured: number, limit: number) {
  expect(answer.status).toBe(400);
  expect(answer.body.data).toBeUndefined();
  const [error] = answer.body.errors!;
  expect(error!.extensions?.code).toBe(code);
  expect(error!.message).toMatch(new RegExp(`\\b${measured}\\b.*\\blimit is ${limit}\\b`));
}

describe.each(backends)('query limits on $name', (backend) => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startServer(backend);
    await server.ingest('subunit/stestr-failure.subunit', { build_name: 'tempest-full' });
  });

  it('refuses a query deeper than the limit with QUERY_TOO_DEEP, and runs one at it', async () => {
    expectRefused(
      await server.query(nested(MAX_DEPTH + 1)),
      ErrorCode.QUERY_TOO_DEEP,
      MAX_DEPTH + 1,
      MAX_DEPTH,
    );
    const atLimit = await server.query(nested(MAX_DEPTH));
    expect(atLimit.status).toBe(200);
    expect(atLimit.body.errors).toBeUndefined();
  });

  it('refuses a query costlier than the limit with QUERY_TOO_COSTLY', async () => {
    expectRefused(await server.query(COSTLY), ErrorCode.QUERY_TOO_COSTLY, COSTLY_COST, MAX_COST);
  });

  it('counts fragments as the selections they stand for', async () => {
    const deep = await server.query(`
      query { runs { ...Runs } }
      fragment Runs on RunConnection { nodes { results { ...Results } } }
      fragment Results on TestResultConnection {
        nodes { ... on TestResult { run { results { nodes { run { ...Deeper } } } } } }
      }
      fragment Deeper on Run { results { nodes { run { results { totalCount } } } } }`);
    // runs nodes results | nodes run results nodes run | results nodes run results totalCount
    expectRefused(deep, ErrorCode.QUERY_TOO_DEEP, 13, MAX_DEPTH);

    const costly = await server.query(`
      query { runs(first: 500) { nodes { ...Run } } }
      fragment Run on Run { results(first: 500) { nodes { ... on TestResult { attachments { ...Text } } } } }
      fragment Text on Attachment { text }`);
    expectRefused(costly, ErrorCode.QUERY_TOO_COSTLY, COSTLY_COST, MAX_COST);
  });

  it('measures fragments spread twice into each other in time linear in the document', async () => {
    // 2^30 copies of `freshness` once expanded, in 1.2 KB: measured spread by spread, the check
    // alone would not answer in days (the test's timeout catches that), and the process with it.
    const answer = await server.query(fragmentBomb(30));
    expectRefused(answer, ErrorCode.QUERY_TOO_COSTLY, 2 ** 30 * 2, MAX_FIELDS);
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });

  it('counts page sizes given as variables, and their defaults', async () => {
    const query = `query ($runs: Int, $results: Int = 500) {
      runs(first: $runs) { nodes { results(first: $results) { nodes { attachments { text } } } } }
    }`;
    expectRefused(
      await server.query(query, { runs: 500 }),
      ErrorCode.QUERY_TOO_COSTLY,
      COSTLY_COST,
      MAX_COST,
    );
    // Small pages are cheap, and run: one run of the ingested stream, its first results.
    const cheap = await server.query<{ runs: { nodes: { results: { nodes: unknown[] } }[] } }>(
      query,
      { runs: 2, results: 3 },
    );
    expect(cheap.status).toBe(200);
    expect(cheap.body.errors).toBeUndefined();
    expect(cheap.body.data!.runs.nodes).toHaveLength(1);
    expect(cheap.body.data!.runs.nodes[0]!.results.nodes).toHaveLength(3);
    // No value and no default: the default page size.
    const defaultPages = 1 + 500 * (1 + 1 + DEFAULT_PAGE * (1 + 1 + 10));
    expectRefused(
      await server.query(query.replace('$results: Int = 500', '$results: Int'), { runs: 500 }),
      ErrorCode.QUERY_TOO_COSTLY,
      defaultPages,
      MAX_COST,
    );
  });

  it("lets the explorer's introspection query through", async () => {
    const answer = await server.query<{ __schema: { types: { name: string }[] } }>(
      getIntrospectionQuery(),
    );
    expect(answer.status).toBe(200);
    expect(answer.body.errors).toBeUndefined();
    expect(answer.body.data!.__schema.types.map((t) => t.name)).toContain('Run');
  });
});

describe.each(backends)('configured query limits on $name', (backend) => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startServer(backend, {
      GATEWATCH_MAX_QUERY_DEPTH: '3',
      GATEWATCH_MAX_QUERY_COST: '100',
    });
  });

  it('takes GATEWATCH_MAX_QUERY_DEPTH', async () => {
    expectRefused(await server.query(nested(4)), ErrorCode.QUERY_TOO_DEEP, 4, 3);
    expect((await server.query(nested(3))).body.errors).toBeUndefined();
  });

  it('takes GATEWATCH_MAX_QUERY_COST', async () => {
    // runs + 34 × (nodes + id) = 69; 50 × … = 101.
    expect(
      (await server.query('{ runs(first: 34) { nodes { id } } }')).body.errors,
    ).toBeUndefined();
    expectRefused(
      await server.query('{ runs(first: 50) { nodes { id } } }'),
      ErrorCode.QUERY_TOO_COSTLY,
      101,
      100,
    );
  });
});
