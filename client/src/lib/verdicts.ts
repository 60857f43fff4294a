/**
 * How a CI's verdict or a build's result reads, everywhere in the dashboard (the CI matrix,
 * the CI, change, live and scrape pages), as CI Watch drew them: a symbol that tells the
 * results apart without colour, the CI's own word for assistive technology and hover, and a
 * tone that colours the symbol (VerdictSymbol.svelte).
 */
export type Tone = 'pass' | 'fail' | 'warn' | 'merge' | 'dependency' | 'error' | 'other';

export interface VerdictLook {
  readonly symbol: string;
  /** The result as the CI wrote it (`SUCCESS`), or what its absence means. */
  readonly label: string;
  readonly tone: Tone;
}

/** The verdicts the comment parser gives a report (`CiReport.verdict`), in the legend's order. */
export const REPORT_VERDICTS = [
  'SUCCESS',
  'FAILURE',
  'UNSTABLE',
  'MERGE_FAILED',
  'DEPENDENCY_FAILED',
  'ERROR',
] as const;

// Zuul's and Jenkins' words (formats.md §5). Around the six verdicts: what broke around the
// tests (the node, the run's time or retry limit, the post-run steps) reads as an error, and
// what gave no verdict on the change (skipped, aborted) in grey.
const LOOKS: Readonly<Record<string, Omit<VerdictLook, 'label'>>> = {
  SUCCESS: { symbol: '✓', tone: 'pass' },
  FAILURE: { symbol: '✗', tone: 'fail' },
  UNSTABLE: { symbol: '⚠', tone: 'warn' },
  MERGE_FAILED: { symbol: '⊘', tone: 'merge' },
  MERGER_FAILURE: { symbol: '⊘', tone: 'merge' },
  DEPENDENCY_FAILED: { symbol: '↯', tone: 'dependency' },
  ERROR: { symbol: '‼', tone: 'error' },
  CONFIG_ERROR: { symbol: '‼', tone: 'error' },
  TIMED_OUT: { symbol: '⏱', tone: 'error' },
  RETRY_LIMIT: { symbol: '↻', tone: 'error' },
  POST_FAILURE: { symbol: '!', tone: 'error' },
  NODE_FAILURE: { symbol: '!', tone: 'error' },
  DISK_FULL: { symbol: '!', tone: 'error' },
  LOST: { symbol: '!', tone: 'error' },
  NOT_REGISTERED: { symbol: '!', tone: 'error' },
  SKIPPED: { symbol: '–', tone: 'other' },
  ABORTED: { symbol: '■', tone: 'other' },
  CANCELED: { symbol: '■', tone: 'other' },
};

/** A report that said no verdict. */
export const NO_VERDICT: VerdictLook = { symbol: '?', label: 'no verdict', tone: 'other' };
/** A CI that did not report on the patch set. */
export const NOT_REPORTED: VerdictLook = { symbol: '·', label: 'not reported', tone: 'other' };

/** A verdict or result, whatever its case (null: none said); words not listed read as themselves. */
export function verdictLook(result: string | null): VerdictLook {
  if (result === null) return NO_VERDICT;
  const look = LOOKS[result.toUpperCase()];
  return look ? { ...look, label: result } : { symbol: '•', label: result, tone: 'other' };
}

/** A Verified vote as Gerrit writes it: `+1`, `-1`, `0`; `–` when none. */
export function formatVote(vote: number | null): string {
  if (vote === null) return '–';
  return vote > 0 ? `+${vote}` : String(vote);
}
