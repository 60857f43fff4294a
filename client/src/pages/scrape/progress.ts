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
