/**
 * What the explorer shows on a first visit: the newest runs, and how to go further. Text with
 * comments for the editor, not a graphql() document: test/client/documents.test.ts validates
 * it against the schema.
 */
export const STARTER_QUERY = `# gatewatch: CI runs and test results.
# Ctrl-Enter runs the query; the Docs button lists every type and field.
{
  runs(first: 10) {
    totalCount
    nodes {
      id
      buildName
      status
      runAt
      passes
      failures
      skips
      wallTime
    }
  }
}
`;
