/** Every domain of gatewatch: the composition root builds the server and the CLI from these. */
import { groupsDomain } from './groups/groups.domain.js';
import { ingestDomain } from './ingest/ingest.domain.js';
import { jobsDomain } from './jobs/jobs.domain.js';
import { runsDomain } from './runs/runs.domain.js';
import { testsDomain } from './tests/tests.domain.js';

export const domains = [runsDomain, testsDomain, jobsDomain, groupsDomain, ingestDomain] as const;
