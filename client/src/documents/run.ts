/** What the run page asks the server, and the shapes of the answers (typed from the schema). */
import { graphql, type ResultOf } from '../lib/graphql/graphql.js';

export const RUN_SUMMARY = graphql(`
  query RunSummary($id: ID!) {
    run(id: $id) {
      id
      runAt
      ingestedAt
      buildName
      status
      format
      tests
      passes
      failures
      skips
      xfails
      uxsuccesses
      incomplete
      parseErrors
      wallTime
      summedTime
      workers
      artifactsUrl
      gerritChange {
        number
        subject
      }
      patchSet {
        number
      }
      ci {
        ci
        name
      }
      metadata {
        key
        value
      }
      artifacts {
        id
        kind
        name
        size
        url
      }
      attachments {
        id
        name
        size
      }
      failed: results(status: [FAIL, UXSUCCESS], first: 100) {
        totalCount
        nodes {
          seq
          testId
          status
          tracebackTail(lines: 5)
          newSignature
          signature {
            fingerprint
          }
          knownIssues {
            bugUrl
            title
          }
          test {
            verdicts {
              scope
              verdict
            }
          }
        }
      }
    }
  }
`);

export type RunSummary = NonNullable<ResultOf<typeof RUN_SUMMARY>['run']>;

export const RUN_TIMELINE = graphql(`
  query RunTimeline($id: ID!) {
    run(id: $id) {
      id
      timeline {
        start
        stop
        lanes {
          worker
          results {
            seq
            testId
            status
            startTime
            stopTime
            duration
          }
        }
      }
    }
  }
`);

/** The run's results in one lane per worker, as the timeline lays them out. */
export type TimelineInput = NonNullable<ResultOf<typeof RUN_TIMELINE>['run']>['timeline'];
export type TimelineResult = TimelineInput['lanes'][number]['results'][number];

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
];

export const RUN_DSTAT = graphql(`
  query RunDstat($id: ID!, $keys: [String!]) {
    run(id: $id) {
      id
      dstat {
        host
        samples
        start
        stop
        columns
        times
        series(keys: $keys) {
          key
          values
        }
      }
    }
  }
`);

/** A run's dstat recording; `times` are epoch milliseconds. */
export type Dstat = NonNullable<NonNullable<ResultOf<typeof RUN_DSTAT>['run']>['dstat']>;

/** The selected result with its attachments' text. */
export const RESULT_DETAILS = graphql(`
  query ResultDetails($id: ID!, $seq: Int!) {
    run(id: $id) {
      id
      result(seq: $seq) {
        seq
        testId
        attrs
        status
        duration
        worker
        tags
        startTime
        stopTime
        attachments {
          id
          name
          mime
          size
          truncated
          text
        }
      }
    }
  }
`);
