/** What the CI matrix page asks the server, and the shapes of the answers (typed from the schema). */
import { graphql, type ResultOf, type VariablesOf } from '../lib/graphql/graphql.js';

export const CI_MATRIX = graphql(`
  query CiMatrix($project: String!, $since: DateTime, $until: DateTime, $after: String) {
    ciMatrix(project: $project, since: $since, until: $until, after: $after) {
      project
      since
      until
      cis {
        ci
        name
        upstream
      }
      rows {
        totalCount
        pageInfo {
          hasNextPage
          endCursor
        }
        nodes {
          patchSet {
            number
            changeNumber
            createdAt
            commitMessage
            change {
              subject
              owner {
                key
                name
              }
            }
          }
          cells {
            ci
            reports
            latest {
              id
              verdict
              vote
              createdAt
              builds {
                job
                result
                logUrl
                voting
              }
            }
          }
        }
      }
    }
  }
`);

export type Matrix = ResultOf<typeof CI_MATRIX>['ciMatrix'];
/** A column of the matrix: a CI system. */
export type MatrixCi = Matrix['cis'][number];
/** A line of the matrix: a patch set and one cell per CI. */
export type MatrixRow = Matrix['rows']['nodes'][number];
export type MatrixCell = MatrixRow['cells'][number];
export type MatrixReport = NonNullable<MatrixCell['latest']>;
export type MatrixVariables = VariablesOf<typeof CI_MATRIX>;
