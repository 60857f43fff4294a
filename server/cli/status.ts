import { ciFigures, type CiFigures } from '../cis/figures.service.js';
import { windowStart } from '../cis/window.js';
import { switchOption, textOption, type Invocation } from '../command.js';
import type { Database } from '../db/orm.js';
import { GatewatchError } from '../errors.js';
import { ciStatus, ciStatusRequest, formatCiStatus } from './ci-status.js';
import { withDatabase } from './database.js';
import { matrixOptions, matrixStatus } from './status-matrix.js';

/**
 * `gatewatch status`: one row per CI over the window, as a table or a JSON array; with `--ci`,
 * that CI's record (ci-status.ts); with `--matrix`, a project's matrix (status-matrix.ts).
 * Read-only.
 */
export async function status(invocation: Invocation): Promise<number> {
  const matrix = textOption(invocation, 'matrix');
  if (matrix !== undefined) {
    const options = matrixOptions(invocation, matrix);
    return withCiTables(invocation, async (db) => {
      invocation.io.stdout.write(`${await matrixStatus(db, options)}\n`);
      return 0;
    });
  }
  const until = new Date();
  const ci = ciStatusRequest(invocation);
  const since = windowStart(textOption(invocation, 'since') ?? (ci ? '7d' : '24h'), until);
  const project = textOption(invocation, 'project') ?? null;
  if (project !== null && (project === '' || project.length > 255)) {
    throw new GatewatchError('BAD_ARGUMENT', '--project: a project name of 1–255 characters');
  }
  const json = switchOption(invocation, 'json');
  return withCiTables(invocation, async (db) => {
    if (ci) {
      const record = await ciStatus(db, ci, { since, until });
      invocation.io.stdout.write(
        `${json ? JSON.stringify(record, null, 2) : formatCiStatus(record)}\n`,
      );
      return 0;
    }
    const figures = await ciFigures(db, { since, until, project });
    invocation.io.stdout.write(
      `${json ? JSON.stringify(figures.map(asJson), null, 2) : formatTable(figures, since, project)}\n`,
    );
    return 0;
  });
}

/** The database, read-only, refused unless it has the CI tables. */
function withCiTables(invocation: Invocation, use: (db: Database) => Promise<number>) {
  return withDatabase(
    invocation,
    async (db) => {
      // Asking the migrator would write its table: looking for the newest tables only reads.
      if (!(await db.knex.schema.hasTable('ci_reports'))) {
        throw new GatewatchError(
          'DB_UNAVAILABLE',
          'the database is older than this gatewatch (it has no CI tables): run gatewatch migrate',
        );
      }
      return use(db);
    },
    { migrate: false },
  );
}

function asJson(f: CiFigures) {
  return {
    ci: f.ci,
    name: f.name,
    server: f.server,
    upstream: f.upstream,
    reports: f.reports,
    builds: f.builds,
    unparsed: f.unparsed,
    successRate: f.successRate,
    eligible: f.eligible,
    coverage: f.coverage,
    missed: f.missed,
    lastReport: f.lastReport?.toISOString() ?? null,
  };
}

function formatTable(figures: CiFigures[], since: Date, project: string | null): string {
  const scope = `since ${iso(since)}${project === null ? '' : ` in ${project}`}`;
  if (figures.length === 0)
    return `no CI has reported${project === null ? '' : ` on ${project}`} (${scope})`;
  const percent = (x: number | null) => (x === null ? '-' : `${(x * 100).toFixed(1)}%`);
  const header = [
    'CI',
    'NAME',
    'REPORTS',
    'BUILDS',
    'UNPARSED',
    'SUCCESS',
    'COVERAGE',
    'MISSED',
    'LAST REPORT',
  ];
  const rows = figures.map((f) => [
    f.upstream ? `${f.ci} (upstream)` : f.ci,
    f.name,
    String(f.reports),
    String(f.builds),
    String(f.unparsed),
    percent(f.successRate),
    percent(f.coverage),
    String(f.missed),
    f.lastReport === null ? '-' : iso(f.lastReport),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  return [`CI health ${scope}`, line(header), ...rows.map(line)].join('\n');
}

function iso(date: Date): string {
  return `${date.toISOString().slice(0, 19)}Z`;
}
