/** What the signatures pages ask the server (typed from the schema). */
import { readFragment, type FragmentOf, type ResultOf } from 'gql.tada';
import { graphql } from '../lib/graphql/graphql.js';

const RULE_FIELDS = graphql(`
  fragment RuleFields on KnownIssueRule {
    id
    field
    pattern
    title
    bugUrl
    hits
    passedHits
    lastHit
    imprecise
    stale
    disabledReason
  }
`);

export type KnownIssueRule = ResultOf<typeof RULE_FIELDS>;

/** A rule as a query answered it, its fields readable. */
export function readRule(rule: FragmentOf<typeof RULE_FIELDS>): KnownIssueRule {
  return readFragment(RULE_FIELDS, rule);
}

export const SIGNATURES_PAGE = graphql(
  `
    query SignaturesPage($job: String, $since: DateTime, $after: String, $first: Int) {
      signatures(job: $job, since: $since, after: $after, first: $first) {
        totalCount
        pageInfo {
          hasNextPage
          endCursor
        }
        nodes {
          fingerprint
          summary
          failures
          runs
          firstSeen
          lastSeen
          tests(limit: 1) {
            name
          }
          knownIssues {
            id
            title
            bugUrl
          }
        }
      }
      knownCauseShare(since: $since) {
        start
        failures
        known
      }
      knownIssueRules {
        ...RuleFields
      }
    }
  `,
  [RULE_FIELDS],
);

export const SIGNATURE_PAGE = graphql(
  `
    query SignaturePage($fingerprint: ID!, $resolution: SignatureResolution!) {
      signature(fingerprint: $fingerprint) {
        fingerprint
        summary
        normalised
        failures
        runs
        firstSeen
        lastSeen
        exampleRun {
          id
        }
        exampleTraceback(lines: 40)
        overTime(resolution: $resolution) {
          start
          failures
          runs
        }
        tests(limit: 50) {
          name
          failures
        }
        jobs(limit: 50) {
          name
          failures
        }
        cis(limit: 50) {
          name
          failures
        }
        knownIssues {
          ...RuleFields
        }
      }
    }
  `,
  [RULE_FIELDS],
);
