/** What the CI page asks the server, and the shapes of the answers (typed from the schema). */
import { graphql, type ResultOf } from '../lib/graphql/graphql.js';

export const CI_RECORD = graphql(`
  query CiRecord($ci: String!, $since: DateTime!, $until: DateTime!, $resolution: Resolution!) {
    ciRecord(ci: $ci, since: $since, until: $until) {
      ci {
        ci
        name
        server
        upstream
      }
      figures {
        reports
        builds
        unparsed
        successRate
        eligible
        coverage
        missed
        lastReport
      }
      latency {
        patchSets
        median
        p95
      }
      agreement {
        patchSets
        bothPassed
        bothFailed
        failedWhereUpstreamPassed
        passedWhereUpstreamFailed
        disagreementRate
      }
      jobs {
        job
        builds
        failures
        failureRate
        flips
        lastResult
        lastAt
      }
      overTime(resolution: $resolution) {
        start
        reports
        successes
        failures
      }
      missed(first: 100) {
        totalCount
        nodes {
          createdAt
          patchSet {
            number
            changeNumber
            project
            change {
              subject
            }
          }
        }
      }
    }
    gerritServers {
      name
      url
    }
  }
`);

export type CiRecordData = NonNullable<ResultOf<typeof CI_RECORD>['ciRecord']>;
/** One row of the jobs table. */
export type CiJob = CiRecordData['jobs'][number];
/** One bucket of the reports-over-time chart. */
export type CiBucket = CiRecordData['overTime'][number];
export type MissedPatchSet = CiRecordData['missed']['nodes'][number];

export const CI_RECENT_REPORTS = graphql(`
  query CiRecentReports($ci: String!, $since: DateTime!, $until: DateTime!) {
    ciReports(filter: { ci: $ci, since: $since, until: $until }, first: 20) {
      totalCount
      nodes {
        id
        createdAt
        project
        pipeline
        verdict
        vote
        message
        patchSet {
          number
          changeNumber
        }
        builds {
          job
          result
          logUrl
        }
      }
    }
  }
`);

export type RecentReport = ResultOf<typeof CI_RECENT_REPORTS>['ciReports']['nodes'][number];
