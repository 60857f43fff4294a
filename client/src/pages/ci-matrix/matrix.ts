/**
 * The CI matrix's logic as plain functions: how a cell reads (lib/verdicts.ts) and what it
 * says on hover, which CIs are shown, how the upstream CI's vote colours a line.
 */
import type { MatrixCell, MatrixCi, MatrixReport, MatrixRow } from '../../documents/matrix.js';
import {
  formatVote,
  NO_VERDICT,
  NOT_REPORTED,
  REPORT_VERDICTS,
  verdictLook,
  type VerdictLook,
} from '../../lib/verdicts.js';

/** The legend: every verdict, then the two states without one. */
export const LEGEND: readonly VerdictLook[] = [
  ...REPORT_VERDICTS.map(verdictLook),
  NO_VERDICT,
  NOT_REPORTED,
];

export function lookOf(cell: MatrixCell): VerdictLook {
  return cell.latest === null ? NOT_REPORTED : verdictLook(cell.latest.verdict);
}

/** What hovering a cell tells: the verdict and vote, then one `job: RESULT` line per build. */
export function cellTitle(ci: MatrixCi, cell: MatrixCell): string {
  const look = lookOf(cell);
  if (cell.latest === null) return `${ci.name}: ${look.label}`;
  const vote = cell.latest.vote === null ? '' : ` (Verified ${formatVote(cell.latest.vote)})`;
  const head = `${ci.name}: ${look.label}${vote}`;
  const again = cell.reports > 1 ? `, newest of ${cell.reports} reports` : '';
  return [head + again, ...jobLines(cell.latest)].join('\n');
}

/** `job: RESULT` per build, `(non-voting)` marked. */
export function jobLines(report: MatrixReport): string[] {
  return report.builds.map(
    (build) => `${build.job}: ${build.result}${build.voting ? '' : ' (non-voting)'}`,
  );
}

/** The `cis` URL parameter (`zuul,acme-ci`) as the accounts chosen; empty: all of them. */
export function parseCis(text: string): string[] {
  return text === '' ? [] : [...new Set(text.split(',').map(decodePart).filter(Boolean))];
}

export function formatCis(accounts: readonly string[]): string {
  return accounts.map((a) => encodeURIComponent(a)).join(',');
}

function decodePart(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** The accounts with `account` added or removed; all chosen again means none named. */
export function toggleCi(
  all: readonly MatrixCi[],
  chosen: readonly string[],
  account: string,
): string[] {
  const current = chosen.length === 0 ? all.map((ci) => ci.ci) : [...chosen];
  const next = current.includes(account)
    ? current.filter((a) => a !== account)
    : [...current, account];
  return all.every((ci) => next.includes(ci.ci))
    ? []
    : all.map((ci) => ci.ci).filter((a) => next.includes(a));
}

/** Indexes of the columns shown: the chosen CIs (all when none is), in the matrix's order. */
export function shownColumns(cis: readonly MatrixCi[], chosen: readonly string[]): number[] {
  return cis.flatMap((ci, i) => (chosen.length === 0 || chosen.includes(ci.ci) ? [i] : []));
}

/**
 * How the upstream CI's newest report colours a line: by its Verified vote (+1 pass, −1 fail),
 * or, when the report carried no vote of its own (a recheck's result repeats the vote Gerrit
 * kept), by its verdict; null when it did not report or said neither.
 */
export function upstreamMark(
  cis: readonly MatrixCi[],
  row: MatrixRow,
): { tone: 'pass' | 'fail'; text: string } | null {
  const upstream = cis.find((ci) => ci.upstream);
  const latest = upstream === undefined ? null : cellOf(row, upstream).latest;
  if (latest === null) return null;
  if (latest.vote !== null && latest.vote !== 0) {
    return { tone: latest.vote > 0 ? 'pass' : 'fail', text: formatVote(latest.vote) };
  }
  if (latest.verdict === null) return null;
  return { tone: latest.verdict === 'SUCCESS' ? 'pass' : 'fail', text: latest.verdict };
}

/** `12345,2`: a patch set as Gerrit people write it. */
export function patchSetLabel(row: MatrixRow): string {
  return `${row.patchSet.changeNumber},${row.patchSet.number}`;
}

/** How many lines the API sends a page (its default): each "Load more" adds as many. */
export const PAGE_SIZE = 50;

/** A line's cell of a CI (lines loaded earlier may lack a column that came later). */
export function cellOf(row: MatrixRow, ci: MatrixCi): MatrixCell {
  return row.cells.find((cell) => cell.ci === ci.ci) ?? { ci: ci.ci, reports: 0, latest: null };
}

const byCreatedDesc = (a: MatrixRow, b: MatrixRow) =>
  a.patchSet.createdAt < b.patchSet.createdAt
    ? 1
    : a.patchSet.createdAt > b.patchSet.createdAt
      ? -1
      : 0;

/**
 * The lines shown once the first page is asked again (live updates): its lines, new or
 * changed, replace those of the same patch set; the lines loaded beyond it stay; newest first.
 */
export function mergeFirstPage(
  shown: readonly MatrixRow[],
  first: readonly MatrixRow[],
): MatrixRow[] {
  const fresh = new Set(first.map(patchSetLabel));
  return [...first, ...shown.filter((row) => !fresh.has(patchSetLabel(row)))].sort(byCreatedDesc);
}

/** The lines shown once the next page came: appended, none twice. */
export function appendPage(shown: readonly MatrixRow[], next: readonly MatrixRow[]): MatrixRow[] {
  const seen = new Set(shown.map(patchSetLabel));
  return [...shown, ...next.filter((row) => !seen.has(patchSetLabel(row)))];
}

/** What hovering a change tells: its subject, then its commit message when known. */
export function changeTitle(row: MatrixRow): string {
  const subject = row.patchSet.change.subject ?? `Change ${row.patchSet.changeNumber}`;
  const head = `${subject} (patch set ${row.patchSet.number})`;
  const message = row.patchSet.commitMessage?.trim();
  return message ? `${head}\n\n${message}` : head;
}
