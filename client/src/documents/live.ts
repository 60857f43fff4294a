/** The live updates every page follows (typed from the schema). */
import { graphql, type ResultOf } from '../lib/graphql/graphql.js';

export const RUN_INGESTED = graphql(`
  subscription RunIngested($filter: RunFilter) {
    runIngested(filter: $filter) {
      id
      buildName
    }
  }
`);

export type IngestedRun = ResultOf<typeof RUN_INGESTED>['runIngested'];

export const CI_REPORTED = graphql(`
  subscription CiReported($project: String) {
    ciReports(project: $project) {
      id
      project
      verdict
      vote
      createdAt
      pipeline
      ci {
        ci
        name
      }
      patchSet {
        number
        changeNumber
      }
    }
  }
`);

/** A CI report as stored, as the live views hear it. */
export type ReportedCi = ResultOf<typeof CI_REPORTED>['ciReports'];

export const GERRIT_EVENTS = graphql(`
  subscription GerritEvents($project: String) {
    gerritEvents(project: $project) {
      type
      project
      change
      patchSet
      createdOn
      author
    }
  }
`);

/** A Gerrit event the collector accepted. */
export type AcceptedEvent = ResultOf<typeof GERRIT_EVENTS>['gerritEvents'];
