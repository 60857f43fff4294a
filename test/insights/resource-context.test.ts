/**
 * A failed test's resource context over a real server: Debian's dstat recorded the machine
 * while Debian's stestr ran tests that load it (make-resource-fixtures.sh); both files are
 * ingested as one run, and `resourceContext` must say what Python's `statistics` module says
 * of the same CSV, read with Python's `csv`. On each backend.
 */
import { execFileSync } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/config/config.js';
import type { ResourceColumnContext } from '../../server/insights/resources/resource-baseline.js';
import { backends } from '../helpers/databases.js';
import { FIXTURES, startServer, type TestServer } from '../helpers/server.js';

const STREAM = 'subunit/resources.subunit';
const DSTAT = 'dstat/dstat-0.8.0-resources.csv';
/** The default columns, those the server shows unless told otherwise. */
const COLUMNS = loadConfig({}, {}).resources.columns;

type Column = ResourceColumnContext;

interface Result {
  testId: string;
  status: string;
  startTime: string;
  stopTime: string;
  resourceContext: Column[] | null;
}

/**
 * The context as defined in the README, computed by Python from the CSV: the samples whose
 * second (t − 1 s, t] meets the test, the median and the scaled MAD (mean deviation when the
 * MAD is 0, at least 5 % of the range) over every sample but dstat's first (since boot).
 */
const EXPECTED = `
import csv, json, statistics, sys
from datetime import datetime, timezone
path, tests = sys.argv[1], json.loads(sys.argv[2])
threshold, min_samples, min_spread = float(sys.argv[3]), int(sys.argv[4]), float(sys.argv[5])
rows = list(csv.reader(open(path)))
year = int(rows[3][6].split()[2])
groups, names = rows[4], rows[5]
keys, group = [], ''
for g, n in zip(groups, names):
    group = g or group
    keys.append((group + '_' + n).replace(' ', '_').replace('/', '_'))
data = rows[6:]
times = [datetime.strptime(f'{year}-{r[0]}', '%Y-%d-%m %H:%M:%S').replace(tzinfo=timezone.utc).timestamp() * 1000 for r in data]
step = statistics.median([b - a for a, b in zip(times, times[1:])])
out = []
for start, stop, columns in tests:
    context = []
    for key in columns:
        if key not in keys:
            continue
        i = keys.index(key)
        values = [float(r[i]) for r in data[1:]]
        stamps = times[1:]
        during = [v for v, t in zip(values, stamps) if t > start and t - step < stop]
        median = statistics.median(values)
        deviations = [abs(v - median) for v in values]
        mad = statistics.median(deviations)
        spread = 1.4826 * mad if mad > 0 else 1.2533 * statistics.mean(deviations)
        spread = max(spread, min_spread * (max(values) - min(values)))
        mean = statistics.mean(during) if during else None
        score = None if mean is None or spread == 0 else (mean - median) / spread
        context.append({'key': key, 'during': mean, 'samples': len(during), 'baseline': median,
                        'spread': spread, 'score': score,
                        'flagged': score is not None and len(values) >= min_samples and abs(score) > threshold})
    out.append(context)
json.dump(out, sys.stdout)
`;

function expectedContexts(
  results: Result[],
  { threshold = 3.5, minSamples = 10, minSpread = 0.05 } = {},
): Column[][] {
  const tests = results.map((r) => [Date.parse(r.startTime), Date.parse(r.stopTime), COLUMNS]);
  const out = execFileSync('/usr/bin/python3', [
    '-c',
    EXPECTED,
    `${FIXTURES}${DSTAT}`,
    JSON.stringify(tests),
    String(threshold),
    String(minSamples),
    String(minSpread),
  ]);
  return JSON.parse(out.toString()) as Column[][];
}

const QUERY = `query ($id: ID!, $first: Int = 20) {
  run(id: $id) {
    results(first: $first) {
      nodes {
        testId status startTime stopTime
        resourceContext { key during samples baseline spread score flagged }
      }
    }
  }
}`;

async function resultsOf(server: TestServer, run: string): Promise<Result[]> {
  const response = await server.query<{ run: { results: { nodes: Result[] } } }>(QUERY, {
    id: run,
  });
  expect(response.body.errors).toBeUndefined();
  return response.body.data!.run.results.nodes;
}

function expectContext(actual: Column[] | null, expected: Column[]): void {
  expect(actual?.map((c) => [c.key, c.samples, c.flagged])).toEqual(
    expected.map((c) => [c.key, c.samples, c.flagged]),
  );
  for (const [i, column] of expected.entries()) {
    for (const field of ['during', 'baseline', 'spread', 'score'] as const) {
      const value = column[field];
      if (value === null) expect(actual![i]![field]).toBeNull();
      else expect(actual![i]![field]).toBeCloseTo(value, 6);
    }
  }
}

describe.each(backends)('resource context of failed tests on $name', (backend) => {
  let server: TestServer;
  let run: string;

  beforeAll(async () => {
    server = await startServer(backend);
    run = (await server.ingest(STREAM, { build_name: 'resources' }, DSTAT)).run;
  });

  it("compares each test's share of the recording with its baseline, as Python computes it", async () => {
    const results = await resultsOf(server, run);
    expect(results.map((r) => [r.testId.split('.').at(-1), r.status])).toEqual([
      ['test_a_quiet', 'FAIL'],
      ['test_b_burn_cpu', 'FAIL'],
      ['test_c_allocate', 'FAIL'],
      ['test_d_write_disk', 'FAIL'],
      ['test_e_pass', 'SUCCESS'],
    ]);
    const expected = expectedContexts(results);
    for (const [i, result] of results.entries())
      expectContext(result.resourceContext, expected[i]!);

    // What the recording shows plainly: 256 MiB synced to disk is far outside the idle writes.
    const writer = results[3]!.resourceContext!.find((c) => c.key === 'dsk_total_writ')!;
    expect(writer.flagged).toBe(true);
    expect(writer.during!).toBeGreaterThan(10 * writer.baseline!);
    expect(results[0]!.resourceContext!.filter((c) => c.flagged)).toEqual([]);
  });

  it('follows resources.threshold and resources.columns', async () => {
    const strict = await startServer(backend, {
      GATEWATCH_RESOURCES_THRESHOLD: '1',
      GATEWATCH_RESOURCES_COLUMNS: 'memory_usage_used,no_such_column',
    });
    const id = (await strict.ingest(STREAM, { build_name: 'resources' }, DSTAT)).run;
    const results = await resultsOf(strict, id);
    const expected = expectedContexts(results, { threshold: 1 }).map((context) =>
      context.filter((c) => c.key === 'memory_usage_used'),
    );
    for (const [i, result] of results.entries())
      expectContext(result.resourceContext, expected[i]!);
    expect(expected.some((context) => context[0]!.flagged)).toBe(true);
  });

  it('costs the same statements for one result as for a page (batched)', async () => {
    let statements = 0;
    server.app.services.db.knex.on('query', () => statements++);
    const count = async (first: number) => {
      const before = statements;
      const { body } = await server.query(QUERY, { id: run, first });
      expect(body.errors).toBeUndefined();
      return statements - before;
    };
    expect(await count(5)).toBe(await count(1));
  });

  it('is null for a run without dstat', async () => {
    const bare = (await server.ingest(STREAM, { build_name: 'bare' })).run;
    const results = await resultsOf(server, bare);
    expect(results).toHaveLength(5);
    expect(results.map((r) => r.resourceContext)).toEqual([null, null, null, null, null]);
  });
});
