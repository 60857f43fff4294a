import type { IngestSummary } from './ingest.js';

/** An ingest summary as `gatewatch ingest --json` prints it and `POST /api/runs` answers it. */
export function summaryJson(s: IngestSummary) {
  return {
    run: s.run,
    tests: s.tests,
    passes: s.passes,
    failures: s.failures,
    skips: s.skips,
    xfails: s.xfails,
    uxsuccesses: s.uxsuccesses,
    incomplete: s.incomplete,
    parseErrors: s.parseErrors,
    duplicate: s.duplicate,
  };
}

export type SummaryJson = ReturnType<typeof summaryJson>;
