/**
 * `Test.verdicts` for many tests in one request (as a page of failures asks it) answers as the
 * same tests asked one by one, and as `flakyTests` does, details included, on both backends.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../helpers/databases.js';
import { ingestInsightHistory, insightTests } from '../helpers/insight-history.js';
import { startServer, type TestServer } from '../helpers/server.js';

const DETAILS = `testId scope verdict reason runs failures firstSeen lastSeen
  evidence { runs { run job result retried change patchset } patchSets { change patchset passes failures } transitions }
  history { from to reason run }`;

interface Verdict {
  testId: string;
  scope: string;
  verdict: string;
}

const tests = Object.values(insightTests);

async function data<T>(server: TestServer, query: string, variables = {}): Promise<T> {
  const response = await server.query<T>(query, variables);
  expect(response.body.errors).toBeUndefined();
  return response.body.data!;
}

describe.each(backends)('Test.verdicts batched on $name', (backend) => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startServer(backend);
    await ingestInsightHistory(server);
  });

  it('many tests at once answer as each alone and as flakyTests', async () => {
    const aliased = tests
      .map((id, i) => `t${i}: test(testId: ${JSON.stringify(id)}) { verdicts { ${DETAILS} } }`)
      .join('\n');
    const together = await data<Record<string, { verdicts: Verdict[] }>>(server, `{ ${aliased} }`);
    const alone = await Promise.all(
      tests.map((id) =>
        data<{ test: { verdicts: Verdict[] } }>(
          server,
          `query ($id: String!) { test(testId: $id) { verdicts { ${DETAILS} } } }`,
          { id },
        ),
      ),
    );
    tests.forEach((_, i) => expect(together[`t${i}`]!.verdicts).toEqual(alone[i]!.test.verdicts));

    const flaky = await data<{ flakyTests: { nodes: Verdict[] } }>(
      server,
      `{ flakyTests(first: 200) { nodes { ${DETAILS} } } }`,
    );
    const flakyOrBroken = tests
      .flatMap((_, i) => together[`t${i}`]!.verdicts)
      .filter((v) => v.verdict !== 'FIXED');
    expect(flakyOrBroken.length).toBeGreaterThan(0);
    const key = (v: Verdict) => `${v.testId} ${v.scope}`;
    const sorted = (list: Verdict[]) => [...list].sort((a, b) => key(a).localeCompare(key(b)));
    expect(sorted(flakyOrBroken)).toEqual(sorted(flaky.flakyTests.nodes));
  });
});
