// First: the run and result statuses are GraphQL enums, whose decorators need the polyfill.
import 'reflect-metadata';
import { GatewatchError } from '../errors.js';
import { sinceInstant } from '../config/parsers.js';
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

/**
 * `--since` (or another instant option, `flag`): a UTC date (`2026-12-01`), a UTC time
 * (`2026-12-01T08:00`, `…Z` or with an offset), or an age before `now` (`30m`, `12h`, `7d`, `2w`).
 */
export function parseSince(text: string, now: Date, flag = 'since'): Date {
  try {
    return sinceInstant(text, now);
  } catch {
    throw new GatewatchError(
      'BAD_ARGUMENT',
      `--${flag} ${text}: expected a UTC date (2026-12-01), time (2026-12-01T08:00) or age (12h, 7d, 2w)`,
    );
  }
}
