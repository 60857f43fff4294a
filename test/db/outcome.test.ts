/** The outcome rules' TypeScript predicates and their SQL twins agree on every input. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../server/db/orm.js';
import {
  outcomeOf,
  runStatusOf,
  sqlResultIs,
  sqlRunIs,
  type ResultOutcome,
  type RunStatusCounts,
} from '../../server/runs/outcome.js';
import { RunStatus } from '../../server/runs/run.type.js';
import { RESULT_STATUSES } from '../../workers/subunit/types.js';
import { backends } from '../helpers/databases.js';

const OUTCOMES: ResultOutcome[] = ['passing', 'failing', 'skipped'];
const COUNTERS: (keyof RunStatusCounts)[] = [
  'passes',
  'failures',
  'skips',
  'xfails',
  'uxsuccesses',
  'incomplete',
  'parseErrors',
];

/** The `runs` column of each counter. */
const COLUMN: Record<keyof RunStatusCounts, string> = {
  passes: 'passes',
  failures: 'failures',
  skips: 'skips',
  xfails: 'xfails',
  uxsuccesses: 'uxsuccesses',
  incomplete: 'incomplete',
  parseErrors: 'parse_errors',
};

/** Every run with 0 or 2 of each count: 2^7 combinations. */
const RUNS: RunStatusCounts[] = Array.from({ length: 1 << COUNTERS.length }, (_, bits) =>
  Object.fromEntries(COUNTERS.map((c, i) => [c, bits & (1 << i) ? 2 : 0])),
) as unknown as RunStatusCounts[];

describe.each(backends)('outcome rules on $name', (backend) => {
  let handle: Awaited<ReturnType<typeof backend.create>>;
  let db: Database;
  beforeAll(async () => {
    handle = await backend.create();
    db = await openDatabase(handle.target, { migrate: false });
  });
  afterAll(async () => {
    await db?.close();
    await handle?.drop();
  });

  /** Rows of a raw query (mysql2 answers [rows, fields]). */
  async function select(sql: string): Promise<Record<string, string | number>[]> {
    const answer = (await db.knex.raw(sql)) as unknown;
    return (db.dialect === 'mysql' ? (answer as unknown[])[0] : answer) as Record<
      string,
      string | number
    >[];
  }

  it('classify every result status alike', async () => {
    const statuses = RESULT_STATUSES.map((s) => `select '${s}' as status`).join(' union all ');
    const cases = OUTCOMES.map(
      (o) => `case when ${sqlResultIs(o, 'r.status')} then 1 else 0 end as ${o}`,
    );
    const list = await select(`select r.status, ${cases.join(', ')} from (${statuses}) r`);
    const inSql = Object.fromEntries(
      list.map((row) => [row.status, OUTCOMES.find((o) => Number(row[o]) === 1) ?? null]),
    );
    const inTs = Object.fromEntries(RESULT_STATUSES.map((s) => [s, outcomeOf(s)]));
    expect(inSql).toEqual(inTs);
    expect(Object.keys(inSql)).toHaveLength(RESULT_STATUSES.length);
  });

  it('classify every combination of run counts alike', async () => {
    const runs = RUNS.map(
      (run, i) =>
        `select ${i} as n, ${COUNTERS.map((c) => `${run[c]} as ${COLUMN[c]}`).join(', ')}`,
    ).join(' union all ');
    const statuses = Object.values(RunStatus);
    const cases = statuses.map((s) => `case when ${sqlRunIs(s, 'c')} then 1 else 0 end as is_${s}`);
    const list = await select(`select c.n, ${cases.join(', ')} from (${runs}) c order by c.n`);
    const inSql = list.map((row) => statuses.filter((s) => Number(row[`is_${s}`]) === 1));
    expect(inSql).toEqual(RUNS.map((run) => [runStatusOf(run)]));
    expect(new Set(inSql.flat())).toEqual(new Set(statuses));
  });

  it('fail a run with an incomplete result or a parse error, whatever else it holds', () => {
    const passed = { ...RUNS[0]!, passes: 3 };
    expect(runStatusOf(passed)).toBe(RunStatus.PASSED);
    expect(runStatusOf({ ...passed, incomplete: 1 })).toBe(RunStatus.FAILED);
    expect(runStatusOf({ ...passed, parseErrors: 1 })).toBe(RunStatus.FAILED);
    expect(runStatusOf({ ...RUNS[0]!, skips: 2, incomplete: 1 })).toBe(RunStatus.FAILED);
    expect(runStatusOf({ ...RUNS[0]!, parseErrors: 1 })).toBe(RunStatus.FAILED);
  });
});
