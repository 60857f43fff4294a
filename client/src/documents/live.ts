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
