/** What the recheck cost page asks the server, typed from the schema. */
import { graphql, type ResultOf } from '../lib/graphql/graphql.js';

export const RECHECK_COST = graphql(`
  query RecheckCost($since: DateTime, $until: DateTime, $project: String, $first: Int!) {
    recheckCost(filter: { since: $since, until: $until, project: $project }, first: $first) {
      since
      until
      rechecks
      changes
      reruns
      rerunNodeHours
      unknownDurations
      attributedReruns
      attributedNodeHours
      unattributedReruns
      topChanges {
        change
        project
        subject
        rechecks
        reruns
        nodeHours
      }
      byTest {
        testId
        reruns
        nodeHours
        flakyScopes
      }
      bySignature {
        signature {
          fingerprint
          summary
        }
        reruns
        nodeHours
        knownIssues {
          id
          title
          bugUrl
        }
      }
    }
  }
`);

export type RecheckCostData = ResultOf<typeof RECHECK_COST>['recheckCost'];
