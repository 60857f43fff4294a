/**
 * `gatewatch status --matrix PROJECT`: the CI matrix as text, as python-radar's text client drew
 * it — one line per CI, one column per patch set (newest first), a symbol per cell — or as JSON.
 */
import { ciMatrix, type Matrix } from '../cis/matrix.service.js';
import { windowStart } from '../cis/window.js';
import { switchOption, textOption, type Invocation } from '../command.js';
import type { Database } from '../db/orm.js';
import { MAX_PAGE } from '../db/page.js';
import { GatewatchError } from '../errors.js';
import { changesById, patchSetsById } from '../gerrit/gerrit.service.js';

/** Patch sets shown when `-n` is not given. */
export const DEFAULT_MATRIX_PATCH_SETS = 20;

/**
 * Each verdict's symbol, in the legend's order, as the dashboard draws it
 * (client/src/lib/verdicts.ts; a test holds the two together); a report without one is `?`.
 */
export const VERDICT_SYMBOLS: readonly (readonly [string, string])[] = [
  ['SUCCESS', '✓'],
  ['FAILURE', '✗'],
  ['UNSTABLE', '⚠'],
  ['MERGE_FAILED', '⊘'],
  ['DEPENDENCY_FAILED', '↯'],
  ['ERROR', '‼'],
];
const NO_VERDICT = '?';
const NO_REPORT = '·';
const symbols = new Map(VERDICT_SYMBOLS);
const LEGEND = [
  ...VERDICT_SYMBOLS.map(([verdict, symbol]) => `${symbol} ${verdict}`),
  `${NO_VERDICT} no verdict`,
  `${NO_REPORT} no report`,
].join('  ');

/** The options `--matrix` reads, checked before the database is opened. */
export interface MatrixOptions {
  readonly project: string;
  readonly server: string | null;
  readonly since: Date;
  readonly until: Date;
  readonly count: number;
  readonly json: boolean;
}

export function matrixOptions(invocation: Invocation, project: string): MatrixOptions {
  if (textOption(invocation, 'project') !== undefined) {
    throw new GatewatchError('BAD_ARGUMENT', '--matrix names the project: leave out --project');
  }
  const until = new Date();
  const count = textOption(invocation, 'limit');
  if (count !== undefined && (!/^\d+$/.test(count) || +count < 1 || +count > MAX_PAGE)) {
    throw new GatewatchError('BAD_ARGUMENT', `-n ${count}: expected a count 1…${MAX_PAGE}`);
  }
  return {
    project,
    server: textOption(invocation, 'server') ?? null,
    since: windowStart(textOption(invocation, 'since') ?? '24h', until),
    until,
    count: count === undefined ? DEFAULT_MATRIX_PATCH_SETS : Number(count),
    json: switchOption(invocation, 'json'),
  };
}

interface Column {
  readonly change: number;
  readonly patchSet: number;
  readonly subject: string | null;
  readonly createdAt: Date;
}

/** The matrix's text (or JSON) for the options. */
export async function matrixStatus(db: Database, options: MatrixOptions): Promise<string> {
  const matrix = await ciMatrix(db, { ...options, cis: null, page: { first: options.count } });
  const ids = matrix.rows.nodes.map((r) => r.patchSetId);
  const patchSets = await patchSetsById(db.knex, ids);
  const changes = await changesById(db.knex, [
    ...new Set([...patchSets.values()].map((ps) => ps.changeId)),
  ]);
  const columns = ids.map((id): Column => {
    const ps = patchSets.get(id)!;
    return {
      change: ps.changeNumber,
      patchSet: ps.number,
      subject: changes.get(ps.changeId)?.subject ?? null,
      createdAt: ps.createdAt,
    };
  });
  return options.json
    ? JSON.stringify(asJson(matrix, columns), null, 2)
    : await asText(matrix, columns);
}

function asJson(matrix: Matrix, columns: Column[]) {
  return {
    project: matrix.project,
    server: matrix.server,
    since: matrix.since.toISOString(),
    until: matrix.until.toISOString(),
    cis: matrix.cis.map((c) => ({ ci: c.ci, name: c.name, upstream: c.upstream })),
    patchSets: matrix.rows.nodes.map((row, i) => ({
      change: columns[i]!.change,
      patchSet: columns[i]!.patchSet,
      subject: columns[i]!.subject,
      createdAt: columns[i]!.createdAt.toISOString(),
      cells: row.cells.map((cell) => ({
        ci: cell.ci,
        reports: cell.reports,
        verdict: cell.latest?.verdict ?? null,
        vote: cell.latest?.vote ?? null,
        at: cell.latest?.createdAt.toISOString() ?? null,
      })),
    })),
  };
}

async function asText(matrix: Matrix, columns: Column[]): Promise<string> {
  const total = await matrix.rows.totalCount;
  const scope = `${matrix.project} on ${matrix.server} since ${iso(matrix.since)}`;
  if (columns.length === 0) return `no patch set created in ${scope}`;
  const title = `CI matrix of ${scope}: the newest ${columns.length} of ${total} patch sets`;
  const labels = [
    'change',
    'patch set',
    ...matrix.cis.map((c) => `${c.name} (${c.ci}${c.upstream ? ', upstream' : ''})`),
  ];
  const labelWidth = Math.max(...labels.map((l) => l.length));
  const widths = columns.map((c) => Math.max(String(c.change).length, String(c.patchSet).length));
  const line = (label: string, cells: string[]) =>
    [label.padEnd(labelWidth), ...cells.map((c, i) => c.padStart(widths[i]!))].join(' ');
  const ciLines = matrix.cis.map((_, ci) =>
    line(
      labels[ci + 2]!,
      matrix.rows.nodes.map((row) =>
        symbolOf(row.cells[ci]!.latest?.verdict, row.cells[ci]!.reports),
      ),
    ),
  );
  return [
    title,
    line(
      'change',
      columns.map((c) => String(c.change)),
    ),
    line(
      'patch set',
      columns.map((c) => String(c.patchSet)),
    ),
    ...(ciLines.length === 0 ? ['(no CI reported in the window)'] : ciLines),
    LEGEND,
  ].join('\n');
}

function symbolOf(verdict: string | null | undefined, reports: number): string {
  if (reports === 0) return NO_REPORT;
  return (verdict && symbols.get(verdict)) || NO_VERDICT;
}

function iso(date: Date): string {
  return `${date.toISOString().slice(0, 19)}Z`;
}
