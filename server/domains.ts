/**
 * Every domain of gatewatch: the composition root builds the server and the CLI from these.
 * Light: a domain's server side is loaded only through its `api()`.
 */
import { cisDomain } from './cis/cis.domain.js';
import { gerritDomain } from './gerrit/gerrit.domain.js';
import { groupsDomain } from './groups/groups.domain.js';
import { ingestDomain } from './ingest/ingest.domain.js';
import { insightsDomain } from './insights/insights.domain.js';
import { jobsDomain } from './jobs/jobs.domain.js';
import { runsDomain } from './runs/runs.domain.js';
import { scrapeDomain } from './scrape/scrape.domain.js';
import { testsDomain } from './tests/tests.domain.js';
import { tokensDomain } from './tokens/tokens.domain.js';
import { webhooksDomain } from './webhooks/webhooks.domain.js';

export const domains = [
  runsDomain,
  testsDomain,
  jobsDomain,
  groupsDomain,
  ingestDomain,
  tokensDomain,
  gerritDomain,
  cisDomain,
  scrapeDomain,
  insightsDomain,
  webhooksDomain,
] as const;
