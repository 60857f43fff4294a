// First: the run and result statuses are GraphQL enums, whose decorators need the polyfill.
import 'reflect-metadata';
import { GatewatchError } from '../errors.js';
import type { Database } from '../db/orm.js';
import { STATUSES_OF } from '../runs/outcome.js';
import {
  attachmentContent,
  attachmentsByResult,
  runResults,
  tracebackTail,
} from '../runs/result.service.js';
import { TestStatus, type TestResult } from '../runs/result.type.js';
import { switchOption, textOption, type Invocation } from '../command.js';
import { withDatabase } from './database.js';
import { createOutput } from './output.js';
import { LAST, resolveRun } from './run-ref.js';

const DEFAULT_LINES = 10;
const MAX_LINES = 1000;
/** What `failing` lists: failed results, and those a dying worker left without an end. */
const LISTED = [...STATUSES_OF.failing, TestStatus.INCOMPLETE] as TestStatus[];
/** Results read at a time: their tracebacks (up to 4 MiB each) are held together. */
const BATCH = 50;

/** One failed test as `gatewatch failing --json` prints it. */
interface FailedTest {
  testId: string;
  status: TestStatus;
  /** Seconds; null when it never ended. */
  duration: number | null;
  /** The traceback's last lines; null when the test left none. */
  traceback: string | null;
}

/**
 * `gatewatch failing [RUN|last] [--job J] [--lines N] [--json]`: a run's failed tests with the
 * tail of their tracebacks, as `stestr failing` prints them.
 */
export async function failing(invocation: Invocation): Promise<number> {
  const lines = parseLines(textOption(invocation, 'lines'));
  return withDatabase(invocation, async (db) => {
    const run = await resolveRun(db, invocation.args[0] ?? LAST, textOption(invocation, 'job'));
    const failed = await failedTests(db, { rowId: run.id, id: run.uuid }, lines);
    const stdout = createOutput(invocation.io.stdout);
    if (switchOption(invocation, 'json')) {
      await stdout.write(`${JSON.stringify({ run: run.uuid, failed }, null, 2)}\n`);
      return 0;
    }
    for (const test of failed) {
      const text = ['='.repeat(70), `${test.status.toUpperCase()}: ${test.testId}`, '-'.repeat(70)];
      text.push(test.traceback ?? '(no traceback)', '');
      if (!(await stdout.write(`${text.join('\n')}\n`))) return 0;
    }
    const none = failed.length === 0;
    await stdout.write(
      none
        ? `run ${run.uuid}: no failed tests\n`
        : `run ${run.uuid}: ${failed.length} failed ${failed.length === 1 ? 'test' : 'tests'}\n`,
    );
    return 0;
  });
}

/** The run's failed results in stream order, each with its traceback's last `lines`. */
async function failedTests(
  db: Database,
  run: { rowId: number; id: string },
  lines: number,
): Promise<FailedTest[]> {
  const failed: FailedTest[] = [];
  for (let after: string | null = null; ;) {
    const page = await runResults(
      db.knex,
      db.dialect,
      run,
      { status: LISTED },
      {
        first: BATCH,
        after,
      },
    );
    failed.push(...(await withTracebacks(db, page.nodes, lines)));
    if (!page.pageInfo.hasNextPage) return failed;
    after = page.pageInfo.endCursor;
  }
}

async function withTracebacks(
  db: Database,
  results: readonly TestResult[],
  lines: number,
): Promise<FailedTest[]> {
  const files = await attachmentsByResult(
    db.knex,
    results.map((r) => `${r.runRowId}:${r.seq}`),
  );
  const tracebackOf = new Map<number, string>();
  for (const result of results) {
    const traceback = files
      .get(`${result.runRowId}:${result.seq}`)
      ?.find((f) => f.name === 'traceback');
    if (traceback) tracebackOf.set(result.seq, traceback.id);
  }
  const contents = await attachmentContent(db.knex, [...tracebackOf.values()]);
  return results.map((result) => {
    const id = tracebackOf.get(result.seq);
    const content = id === undefined ? undefined : contents.get(id);
    return {
      testId: result.testId,
      status: result.status,
      duration: result.duration,
      traceback: content === undefined ? null : tracebackTail(content, lines),
    };
  });
}

function parseLines(text: string | undefined): number {
  if (text === undefined) return DEFAULT_LINES;
  const lines = Number(text);
  if (!/^\d+$/.test(text) || lines < 1 || lines > MAX_LINES) {
    throw new GatewatchError('BAD_ARGUMENT', `--lines ${text}: expected a count 1…${MAX_LINES}`);
  }
  return lines;
}
