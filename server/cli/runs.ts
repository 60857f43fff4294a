// First: the run and result statuses are GraphQL enums, whose decorators need the polyfill.
import 'reflect-metadata';
import { GatewatchError } from '../errors.js';
import { MAX_PAGE } from '../db/page.js';
import { listRuns } from '../runs/run.service.js';
import { RunStatus, type Run, type RunFilter } from '../runs/run.type.js';
import { switchOption, textOption, type Invocation } from '../command.js';
import { withDatabase } from './database.js';
import { createOutput } from './output.js';
import { formatTable, utcTime } from './table.js';

const DEFAULT_COUNT = 20;

/** `gatewatch runs [--job J] [--failed] [--since D] [-n N] [--json]`: stored runs, newest first. */
export async function runs(invocation: Invocation): Promise<number> {
  const filter: RunFilter = {};
  const job = textOption(invocation, 'job');
  if (job !== undefined) filter.job = job;
  const since = textOption(invocation, 'since');
  if (since !== undefined) filter.since = parseSince(since, new Date());
  if (switchOption(invocation, 'failed')) filter.status = RunStatus.FAILED;
  const count = parseCount(textOption(invocation, 'limit'));
  return withDatabase(invocation, async (db) => {
    const page = await listRuns(db, filter, { first: count });
    const stdout = createOutput(invocation.io.stdout);
    const text = switchOption(invocation, 'json')
      ? JSON.stringify(page.nodes.map(runJson), null, 2)
      : formatRuns(page.nodes, filter);
    await stdout.write(`${text}\n`);
    return 0;
  });
}

/** A run as `gatewatch runs --json` prints it. */
function runJson(run: Run) {
  return {
    id: run.id,
    runAt: run.runAt.toISOString(),
    job: run.buildName,
    change: run.change,
    patchset: run.patchset,
    project: run.project,
    status: run.status,
    tests: run.tests,
    passes: run.passes,
    failures: run.failures,
    skips: run.skips,
    xfails: run.xfails,
    uxsuccesses: run.uxsuccesses,
    incomplete: run.incomplete,
    parseErrors: run.parseErrors,
    wallTime: run.wallTime,
  };
}

function formatRuns(runs: readonly Run[], filter: RunFilter): string {
  if (runs.length === 0) {
    return Object.keys(filter).length === 0
      ? 'no runs yet (gatewatch ingest FILE stores one)'
      : 'no run matches';
  }
  const rows = [
    ['ID', 'TIME (UTC)', 'JOB', 'CHANGE', 'TESTS', 'PASS', 'FAIL', 'SKIP', 'STATUS'],
    ...runs.map((run) => [
      run.id.slice(0, 8),
      utcTime(run.runAt),
      run.buildName ?? '-',
      run.change === null ? '-' : `${run.change},${run.patchset ?? '?'}`,
      String(run.tests),
      String(run.passes + run.xfails),
      String(run.failures + run.uxsuccesses),
      String(run.skips),
      run.incomplete > 0 ? `${run.status} (${run.incomplete} incomplete)` : run.status,
    ]),
  ];
  return formatTable(rows, [4, 5, 6, 7]);
}

function parseCount(text: string | undefined): number {
  if (text === undefined) return DEFAULT_COUNT;
  const count = Number(text);
  if (!/^\d+$/.test(text) || count < 1 || count > MAX_PAGE) {
    throw new GatewatchError('BAD_ARGUMENT', `-n ${text}: expected a count 1…${MAX_PAGE}`);
  }
  return count;
}

const AGE_UNITS: Record<string, number> = {
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

/**
 * `--since`: a UTC date (`2026-12-01`), a UTC time (`2026-12-01T08:00`, `…Z` or with an
 * offset), or an age before `now` (`30m`, `12h`, `7d`, `2w`).
 */
export function parseSince(text: string, now: Date): Date {
  const age = /^(\d{1,6})([mhdw])$/.exec(text);
  if (age) return new Date(now.getTime() - Number(age[1]) * AGE_UNITS[age[2]!]!);
  const time = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?(Z|[+-]\d{2}:\d{2})?$/.exec(
    text,
  );
  if (time) {
    // A date or time without a zone is UTC, as every time gatewatch prints.
    const [, clock, , , zone] = time;
    const iso = `${text.slice(0, 10)}T${clock?.slice(1) ?? '00:00'}${zone ?? 'Z'}`;
    const date = new Date(iso);
    // Date rolls 2026-02-31 over to March: a day the calendar lacks is refused instead.
    const sameDay = zone !== undefined || date.toISOString().startsWith(text.slice(0, 10));
    if (!Number.isNaN(date.getTime()) && sameDay) return date;
  }
  throw new GatewatchError(
    'BAD_ARGUMENT',
    `--since ${text}: expected a UTC date (2026-12-01), time (2026-12-01T08:00) or age (12h, 7d, 2w)`,
  );
}
