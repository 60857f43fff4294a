/** How a CI job's result reads in the scrape page's list: a symbol, a word, a colour class. */

export interface ResultLook {
  readonly symbol: string;
  /** Said instead of the symbol to screen readers, and shown beside it. */
  readonly label: string;
  readonly tone: 'pass' | 'fail' | 'warn' | 'other';
}

// Zuul's and Jenkins' words (formats.md §5): the job ran and its tests passed or failed, or
// something around the tests broke (the infrastructure, the run's own time or retry limits).
const PASSED = new Set(['SUCCESS']);
const FAILED = new Set(['FAILURE', 'UNSTABLE']);
const BROKE = new Set([
  'ERROR',
  'POST_FAILURE',
  'RETRY_LIMIT',
  'TIMED_OUT',
  'NODE_FAILURE',
  'MERGER_FAILURE',
  'CONFIG_ERROR',
  'DISK_FULL',
  'LOST',
  'NOT_REGISTERED',
]);

export function resultLook(result: string | null): ResultLook {
  if (result === null) return { symbol: '?', label: 'no result', tone: 'other' };
  const word = result.toUpperCase();
  if (PASSED.has(word)) return { symbol: '✓', label: result, tone: 'pass' };
  if (FAILED.has(word)) return { symbol: '✗', label: result, tone: 'fail' };
  if (BROKE.has(word)) return { symbol: '⚠', label: result, tone: 'warn' };
  // ABORTED, SKIPPED, CANCELED and words of CIs we do not know: no verdict on the change.
  return { symbol: '–', label: result, tone: 'other' };
}

/** The stages a running task goes through, in order (ScrapeTask.stage). */
export const STAGES = ['crawling', 'downloading', 'parsing', 'storing'] as const;

/**
 * How far a task is by its stage: `value` 0…1, midway through each stage (a job's total size
 * is not known before its files are listed, so the bar steps by stage; the bytes fetched are
 * shown beside it), `text` as a screen reader says it. `null` before it starts (queued), or
 * for a stage this page does not know.
 */
export function progressOf(stage: string | null): { value: number; text: string } | null {
  const index = STAGES.indexOf(stage as (typeof STAGES)[number]);
  if (index < 0) return null;
  return {
    value: (index + 0.5) / STAGES.length,
    text: `${stage}: step ${index + 1} of ${STAGES.length}`,
  };
}
