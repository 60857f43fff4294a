/**
 * How a row of the recent runs table reads: the change and patch set it tested, and where its
 * logs are, as plain functions.
 */

/** `123456,7` (Gerrit's change,patchset); the change alone without a patch set; null without. */
export function changeLabel(change: number | null, patchset: number | null): string | null {
  if (change === null) return null;
  return patchset === null ? String(change) : `${change},${patchset}`;
}

/**
 * The run's artifacts URL as a link, only when it is http(s): a run stored from the command
 * line may carry any text there, and a `javascript:` link must never be rendered.
 */
export function logHref(artifactsUrl: string | null): string | null {
  if (artifactsUrl === null) return null;
  try {
    const { protocol } = new URL(artifactsUrl);
    return protocol === 'http:' || protocol === 'https:' ? artifactsUrl : null;
  } catch {
    return null;
  }
}
