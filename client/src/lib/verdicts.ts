/**
 * How a CI's verdict or a build's result reads, as CI Watch drew them: a symbol that tells the
 * results apart without colour, a word for assistive technology and hover, and a tone.
 */
export type Tone = 'pass' | 'fail' | 'warn' | 'other';

export interface VerdictLook {
  symbol: string;
  label: string;
  tone: Tone;
}

const LOOKS: Record<string, VerdictLook> = {
  SUCCESS: { symbol: '✓', label: 'success', tone: 'pass' },
  FAILURE: { symbol: '✗', label: 'failure', tone: 'fail' },
  UNSTABLE: { symbol: '⚠', label: 'unstable', tone: 'warn' },
  MERGE_FAILED: { symbol: '⊘', label: 'merge failed', tone: 'warn' },
  DEPENDENCY_FAILED: { symbol: '⛓', label: 'dependency failed', tone: 'warn' },
  ERROR: { symbol: '!', label: 'error', tone: 'fail' },
  TIMED_OUT: { symbol: '⏱', label: 'timed out', tone: 'fail' },
  POST_FAILURE: { symbol: '✗', label: 'post failure', tone: 'fail' },
  NODE_FAILURE: { symbol: '!', label: 'node failure', tone: 'fail' },
  RETRY_LIMIT: { symbol: '↻', label: 'retry limit', tone: 'fail' },
  SKIPPED: { symbol: '–', label: 'skipped', tone: 'other' },
  ABORTED: { symbol: '■', label: 'aborted', tone: 'other' },
};

/** A verdict or result (null: the report said none); results not listed read as themselves. */
export function verdictLook(result: string | null): VerdictLook {
  if (result === null) return { symbol: '?', label: 'no verdict', tone: 'other' };
  return (
    LOOKS[result] ?? {
      symbol: '•',
      label: result.toLowerCase().replaceAll('_', ' '),
      tone: 'other',
    }
  );
}

/** A Verified vote as Gerrit writes it: `+1`, `-1`, `0`; `–` when none. */
export function formatVote(vote: number | null): string {
  if (vote === null) return '–';
  return vote > 0 ? `+${vote}` : String(vote);
}
