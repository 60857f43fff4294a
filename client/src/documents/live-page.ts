/** What the live page asks the server besides its subscriptions (typed from the schema). */
import { graphql, type ResultOf } from '../lib/graphql/graphql.js';

export const LIVE_CIS = graphql(`
  query LiveCis {
    ciSystems {
      ci
      name
    }
  }
`);

export type LiveCi = ResultOf<typeof LIVE_CIS>['ciSystems'][number];
