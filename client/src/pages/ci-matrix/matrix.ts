/**
 * The CI matrix's logic as plain functions: how each verdict reads (symbol, words, tone), what
 * a cell says on hover, which CIs are shown, how the upstream CI's vote colours a line, and
 * where changes and CIs lead.
 */
import type { MatrixCell, MatrixCi, MatrixReport, MatrixRow } from '../../documents/matrix.js';

/** How a cell's state reads: never by colour alone, always a symbol and words too. */
export interface VerdictLook {
  readonly symbol: string;
  readonly label: string;
  /** The class that colours it (app.css-like tones, each ≥ 4.5:1 on white). */
  readonly tone: 'pass' | 'fail' | 'warn' | 'merge' | 'dependency' | 'error' | 'none';
}

/** Every verdict the parser gives (`CiReport.verdict`), in the legend's order. */
export const VERDICTS: Readonly<Record<string, VerdictLook>> = {
  SUCCESS: { symbol: '✓', label: 'SUCCESS', tone: 'pass' },
  FAILURE: { symbol: '✗', label: 'FAILURE', tone: 'fail' },
  UNSTABLE: { symbol: '⚠', label: 'UNSTABLE', tone: 'warn' },
  MERGE_FAILED: { symbol: '⊘', label: 'MERGE_FAILED', tone: 'merge' },
  DEPENDENCY_FAILED: { symbol: '↯', label: 'DEPENDENCY_FAILED', tone: 'dependency' },
  ERROR: { symbol: '‼', label: 'ERROR', tone: 'error' },
};

/** A report that said no verdict (or one this page does not know). */
export const UNSAID: VerdictLook = { symbol: '?', label: 'no verdict', tone: 'none' };
/** A CI that did not report on the patch set. */
export const NOT_REPORTED: VerdictLook = { symbol: '·', label: 'not reported', tone: 'none' };

/** The legend: every verdict, then the two states without one. */
export const LEGEND: readonly VerdictLook[] = [...Object.values(VERDICTS), UNSAID, NOT_REPORTED];

export function lookOf(cell: MatrixCell): VerdictLook {
  if (cell.latest === null) return NOT_REPORTED;
  const verdict = cell.latest.verdict;
  if (verdict === null) return UNSAID;
  return VERDICTS[verdict] ?? { ...UNSAID, label: verdict };
}

/** A vote as Gerrit writes it: `+1`, `-2`, `0`; '' when none. */
export function formatVote(vote: number | null): string {
  if (vote === null) return '';
  return vote > 0 ? `+${vote}` : String(vote);
}

/** What hovering a cell tells: the verdict and vote, then one `job: RESULT` line per build. */
export function cellTitle(ci: MatrixCi, cell: MatrixCell): string {
  const look = lookOf(cell);
  if (cell.latest === null) return `${ci.name}: ${look.label}`;
  const vote = formatVote(cell.latest.vote);
  const head = `${ci.name}: ${look.label}${vote ? ` (Verified ${vote})` : ''}`;
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

/** The change page (built by the change view's own module). */
export function changeHref(number: number): string {
  return `/changes/${number}`;
}

/** A CI's page. */
export function ciHref(account: string): string {
  return `/cis/${encodeURIComponent(account)}`;
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
