/** What the scrape page asks the server: a pasted input's jobs, a scrape, its live progress. */
import { readFragment, type FragmentOf } from 'gql.tada';
import { graphql, type ResultOf } from '../lib/graphql/graphql.js';

export const RESOLVE_CHANGE = graphql(`
  query ResolveChange($input: String!) {
    resolveChange(input: $input) {
      input
      kind
      source
      server
      change
      patchSet
      project
      subject
      jobs {
        name
        pipeline
        result
        logUrl
        ci
        run {
          id
        }
      }
    }
  }
`);

export type Resolution = ResultOf<typeof RESOLVE_CHANGE>['resolveChange'];
export type ResolvedJob = Resolution['jobs'][number];

const TASK_FIELDS = graphql(`
  fragment ScrapeTaskFields on ScrapeTask {
    id
    state
    stage
    url
    job
    bytesFetched
    attempts
    error
    run {
      id
    }
  }
`);

export type ScrapeTaskFields = ResultOf<typeof TASK_FIELDS>;

/** A task as the mutation or the subscription answered it, its fields readable. */
export function readTask(task: FragmentOf<typeof TASK_FIELDS>): ScrapeTaskFields {
  return readFragment(TASK_FIELDS, task);
}

export const SCRAPE = graphql(
  `
    mutation Scrape($input: String!, $job: String) {
      scrape(input: $input, job: $job) {
        ...ScrapeTaskFields
      }
    }
  `,
  [TASK_FIELDS],
);

export const SCRAPE_TASK_UPDATED = graphql(
  `
    subscription ScrapeTaskUpdated($id: ID!) {
      scrapeTaskUpdated(id: $id) {
        ...ScrapeTaskFields
      }
    }
  `,
  [TASK_FIELDS],
);
