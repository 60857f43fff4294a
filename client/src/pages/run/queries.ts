/** What the run page asks the server, and the shapes of the answers. */
import type { TestStatus, TimelineInput } from './timeline.js';

export const RUN_SUMMARY = `query RunSummary($id: ID!) {
  run(id: $id) {
    id runAt ingestedAt buildName status format
    tests passes failures skips xfails uxsuccesses incomplete parseErrors
    wallTime summedTime workers artifactsUrl
    metadata { key value }
    artifacts { id kind name size url }
    attachments { id name size }
    failed: results(status: [FAIL, UXSUCCESS], first: 100) {
      totalCount
      nodes { seq testId status tracebackTail(lines: 5) }
    }
  }
}`;

export interface RunSummary {
  id: string;
  runAt: string;
  ingestedAt: string;
  buildName: string | null;
  status: 'PASSED' | 'FAILED' | 'SKIPPED';
  format: string;
  tests: number;
  passes: number;
  failures: number;
  skips: number;
  xfails: number;
  uxsuccesses: number;
  incomplete: number;
  parseErrors: number;
  wallTime: number | null;
  summedTime: number;
  workers: number;
  artifactsUrl: string | null;
  metadata: { key: string; value: string }[];
  artifacts: { id: string; kind: string; name: string; size: number; url: string }[];
  attachments: { id: string; name: string; size: number }[];
  failed: {
    totalCount: number;
    nodes: { seq: number; testId: string; status: TestStatus; tracebackTail: string | null }[];
  };
}

export const RUN_TIMELINE = `query RunTimeline($id: ID!) {
  run(id: $id) {
    id
    timeline {
      start stop
      lanes { worker results { seq testId status startTime stopTime duration } }
    }
  }
}`;

export interface RunTimeline {
  id: string;
  timeline: TimelineInput;
}

/** The dstat columns the lanes draw (dstat 0.8's CSV names, as the server keys them). */
export const DSTAT_KEYS = [
  'total_cpu_usage_usr',
  'total_cpu_usage_sys',
  'total_cpu_usage_wai',
  'memory_usage_used',
  'net_total_recv',
  'net_total_send',
  'dsk_total_read',
  'dsk_total_writ',
] as const;

export const RUN_DSTAT = `query RunDstat($id: ID!, $keys: [String!]) {
  run(id: $id) {
    id
    dstat { host samples start stop columns times series(keys: $keys) { key values } }
  }
}`;

export interface RunDstat {
  id: string;
  dstat: {
    host: string | null;
    samples: number;
    start: string | null;
    stop: string | null;
    columns: string[];
    /** Epoch milliseconds. */
    times: number[];
    series: { key: string; values: (number | null)[] }[];
  } | null;
}

/**
 * The selected result with its attachments' text: found among the run's results with its test
 * id as prefix (a few at most: retries, and tests whose id extends this one).
 */
export const RESULT_DETAILS = `query ResultDetails($id: ID!, $seq: Int!) {
  run(id: $id) {
    id
    result(seq: $seq) {
      seq testId attrs status duration worker tags startTime stopTime
      attachments { id name mime size truncated text }
    }
  }
}`;

export interface ResultDetail {
  seq: number;
  testId: string;
  attrs: string;
  status: TestStatus;
  duration: number | null;
  worker: number | null;
  tags: string[];
  startTime: string | null;
  stopTime: string | null;
  attachments: {
    id: string;
    name: string;
    mime: string;
    size: number;
    truncated: boolean;
    text: string;
  }[];
}

export interface RunDetails {
  id: string;
  result: ResultDetail | null;
}
