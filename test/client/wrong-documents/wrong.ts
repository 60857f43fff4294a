/** Documents that do not match the schema, each in one way: `npm run check` must refuse them. */
import { graphql } from '../../../client/src/lib/graphql/graphql.js';

export const UNKNOWN_FIELD = graphql(`
  query UnknownField($id: ID!) {
    run(id: $id) {
      id
      buildNam
    }
  }
`);

export const UNKNOWN_ARGUMENT = graphql(`
  query UnknownArgument {
    tests(startsWith: "tempest") {
      totalCount
    }
  }
`);

export const WRONG_VARIABLE_TYPE = graphql(`
  query WrongVariableType($seq: String!) {
    run(id: "3f2a") {
      result(seq: $seq) {
        testId
      }
    }
  }
`);
