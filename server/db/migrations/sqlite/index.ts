import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261122150914_initial } from './20261122150914-initial.js';
import { Migration20261122164834_tokens } from './20261122164834-tokens.js';
import { Migration20261122174000_analytics_indexes } from './20261122174000-analytics-indexes.js';
import { Migration20261202164503_identifiers_run_keys } from './20261202164503-identifiers-run-keys.js';
import { Migration20261203085317_gerrit } from './20261203085317-gerrit.js';
import { Migration20261203090000_run_status } from './20261203090000-run-status.js';
import { Migration20261203132331_integer_sums } from './20261203132331-integer-sums.js';
import { Migration20261203132407_scrape_tasks } from './20261203132407-scrape-tasks.js';
import { Migration20261203133723_patch_set_commit_message } from './20261203133723-patch-set-commit-message.js';
import { Migration20261203140000_ci_health_indexes } from './20261203140000-ci-health-indexes.js';
import { Migration20261204205500_insight_events } from './20261204205500-insight-events.js';
import { Migration20261204213015_signatures } from './20261204213015-signatures.js';
import { Migration20261204213817_ci_job_days } from './20261204213817-ci-job-days.js';
import { Migration20261204214317_insight_deliveries } from './20261204214317-insight-deliveries.js';
import { Migration20261204215000_flaky_verdicts } from './20261204215000-flaky-verdicts.js';

/** Applied in order; a new migration is written by `server/db/make-migration.ts`. */
export const sqliteMigrations: MigrationObject[] = [
  { name: '20261122150914-initial', class: Migration20261122150914_initial },
  { name: '20261122164834-tokens', class: Migration20261122164834_tokens },
  {
    name: '20261122174000-analytics-indexes',
    class: Migration20261122174000_analytics_indexes,
  },
  {
    name: '20261202164503-identifiers-run-keys',
    class: Migration20261202164503_identifiers_run_keys,
  },
  { name: '20261203085317-gerrit', class: Migration20261203085317_gerrit },
  { name: '20261203090000-run-status', class: Migration20261203090000_run_status },
  { name: '20261203132331-integer-sums', class: Migration20261203132331_integer_sums },
  { name: '20261203132407-scrape-tasks', class: Migration20261203132407_scrape_tasks },
  {
    name: '20261203133723-patch-set-commit-message',
    class: Migration20261203133723_patch_set_commit_message,
  },
  { name: '20261203140000-ci-health-indexes', class: Migration20261203140000_ci_health_indexes },
  { name: '20261204205500-insight-events', class: Migration20261204205500_insight_events },
  { name: '20261204213015-signatures', class: Migration20261204213015_signatures },
  { name: '20261204213817-ci-job-days', class: Migration20261204213817_ci_job_days },
  {
    name: '20261204214317-insight-deliveries',
    class: Migration20261204214317_insight_deliveries,
  },
  { name: '20261204215000-flaky-verdicts', class: Migration20261204215000_flaky_verdicts },
];
