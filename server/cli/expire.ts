// First: resolving runs loads entities whose GraphQL enums need the polyfill.
import 'reflect-metadata';
import { loadConfig } from '../config/config.js';
import type { Database } from '../db/orm.js';
import { GatewatchError } from '../errors.js';
import {
  countRunsBefore,
  expireRuns,
  expireRunsBefore,
  runsBefore,
  type Expired,
  type ExpiringRun,
  type ExpiryPace,
} from '../runs/run-expire.js';
import { listOption, switchOption, textOption, type CliIo, type Invocation } from '../command.js';
import { olderThanMs } from './age.js';
import { withDatabase } from './database.js';
import { createOutput } from './output.js';
import { resolveRun } from './run-ref.js';
import { utcTime } from './table.js';

/** Runs read at once when listing a dry run. */
const LIST_PAGE = 500;

/**
 * `gatewatch expire --older-than AGE | --run ID… [--dry-run] [--json]`: removes runs with
 * everything they own, their aggregates taken back out exactly, a batch at a time.
 */
export async function expire(invocation: Invocation): Promise<number> {
  const olderThan = textOption(invocation, 'olderThan');
  const refs = listOption(invocation, 'run').flatMap((ref) => ref.split(','));
  if ((olderThan === undefined) === (refs.length === 0)) {
    throw new GatewatchError(
      'BAD_ARGUMENT',
      'give either --older-than AGE (186d) or --run ID…, not both and not neither',
    );
  }
  const cutoff = olderThan === undefined ? null : new Date(Date.now() - olderThanMs(olderThan));
  const { retention } = loadConfig(invocation.options, invocation.io.env);
  const pace: ExpiryPace = { batchSize: retention.expireBatch, pauseMs: retention.expirePause };
  const dryRun = switchOption(invocation, 'dryRun');
  const json = switchOption(invocation, 'json');
  const stdout = createOutput(invocation.io.stdout);
  return withDatabase(invocation, async (db) => {
    // Every named run is found before any goes: an unknown one deletes nothing.
    const named = cutoff === null ? await resolveRuns(db, refs) : null;
    if (dryRun) {
      const listed = await listExpiring(db, cutoff, named, json ? null : stdout.write);
      const line = json
        ? JSON.stringify({ dryRun: true, ...listed.expired, ids: listed.ids })
        : `gatewatch expire: ${describe(listed.expired)} would be removed (dry run: nothing was)`;
      await stdout.write(`${line}\n`);
      return 0;
    }
    const total = named?.length ?? (await countRunsBefore(db, cutoff!)).runs;
    const progress = expiryProgress(invocation.io, total);
    let expired: Expired;
    try {
      const options = { onRun: progress.run };
      expired =
        named === null
          ? await expireRunsBefore(db, cutoff!, pace, options)
          : await expireRuns(db, named, pace, options);
    } finally {
      progress.stop();
    }
    const what = olderThan === undefined ? '' : ` older than ${olderThan}`;
    await stdout.write(
      json
        ? `${JSON.stringify({ dryRun: false, ...expired })}\n`
        : `gatewatch expire: ${describe(expired)}${what} removed\n`,
    );
    return 0;
  });
}

async function resolveRuns(db: Database, refs: readonly string[]): Promise<ExpiringRun[]> {
  const runs = new Map<number, ExpiringRun>();
  for (const ref of refs) {
    let run;
    try {
      run = await resolveRun(db, ref, undefined);
    } catch (error) {
      if (!(error instanceof GatewatchError) || error.code !== 'RUN_NOT_FOUND') throw error;
      throw new GatewatchError(
        'BAD_ARGUMENT',
        `--run ${ref}: ${error.message}; nothing was removed`,
      );
    }
    runs.set(run.id, {
      rowId: run.id,
      id: run.uuid,
      runAt: run.runAt,
      job: run.buildName ?? null,
      tests: run.tests,
    });
  }
  return [...runs.values()];
}

/** The runs a dry run would remove, each printed as a line when `print` is given. */
async function listExpiring(
  db: Database,
  cutoff: Date | null,
  named: readonly ExpiringRun[] | null,
  print: ((line: string) => Promise<boolean>) | null,
): Promise<{ expired: Expired; ids: string[] }> {
  const ids: string[] = [];
  let results = 0;
  const list = async (runs: readonly ExpiringRun[]) => {
    for (const run of runs) {
      ids.push(run.id);
      results += run.tests;
      await print?.(`${run.id}  ${utcTime(run.runAt)}  ${run.job ?? '-'}  ${run.tests} results\n`);
    }
  };
  if (named !== null) await list(named);
  else {
    for (let page = await runsBefore(db, cutoff!, LIST_PAGE); page.length > 0;) {
      await list(page);
      if (page.length < LIST_PAGE) break;
      page = await runsBefore(db, cutoff!, LIST_PAGE, page.at(-1)!.rowId);
    }
  }
  return { expired: { runs: ids.length, results }, ids };
}

function describe({ runs, results }: Expired): string {
  const n = (count: number) => count.toLocaleString('en-US');
  return `${n(runs)} run${runs === 1 ? '' : 's'} (${n(results)} test results)`;
}

/** A one-line count on a terminal's stderr, redrawn at most five times a second. */
function expiryProgress(
  io: CliIo,
  total: number,
): { run: (run: ExpiringRun) => void; stop(): void } {
  if (io.stderr.isTTY !== true) return { run: () => {}, stop: () => {} };
  let done = 0;
  let results = 0;
  let drawn = 0;
  const draw = () => {
    const percent = total === 0 ? 100 : Math.floor((done / total) * 100);
    io.stderr.write(
      `\rexpiring: ${done.toLocaleString('en-US')}/${total.toLocaleString('en-US')} runs (${percent} %), ${results.toLocaleString('en-US')} test results`,
    );
  };
  return {
    run(run) {
      done += 1;
      results += run.tests;
      if (Date.now() - drawn >= 200) {
        drawn = Date.now();
        draw();
      }
    },
    stop() {
      if (drawn > 0) io.stderr.write('\r\x1b[K');
    },
  };
}
