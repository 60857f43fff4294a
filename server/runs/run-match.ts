import type { Run, RunFilter, RunMetadata } from './run.type.js';

/** Whether a run satisfies a filter: the in-memory twin of whereRuns, for live events. */
export function runMatches(run: Run, metadata: RunMetadata[], filter?: RunFilter): boolean {
  if (!filter) return true;
  if (filter.job != null && run.buildName !== filter.job) return false;
  if (filter.since && run.runAt < filter.since) return false;
  if (filter.until && run.runAt >= filter.until) return false;
  if (filter.status && run.status !== filter.status) return false;
  return (filter.metadata ?? []).every(({ key, value }) =>
    metadata.some((m) => m.key === key && m.value === value),
  );
}
