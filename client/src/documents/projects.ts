/** What the projects page asks the server (who has CI), typed from the schema. */
import { graphql, type ResultOf } from '../lib/graphql/graphql.js';

export const PROJECTS_CI = graphql(`
  query ProjectsCi($since: DateTime, $until: DateTime) {
    projectsCi(since: $since, until: $until) {
      project
      server
      patchSets
      cis {
        ci {
          ci
          name
          upstream
        }
        reports
        coverage
        lastReport
      }
      stopped {
        ci {
          ci
          name
          upstream
        }
        reports
        lastReport
      }
    }
  }
`);

export type ProjectCiRow = ResultOf<typeof PROJECTS_CI>['projectsCi'][number];
export type ProjectCiEntry = ProjectCiRow['cis'][number];
