import { defineEntity, type InferEntity } from '@mikro-orm/core';
import { GerritAccount } from './gerrit-account.entity.js';

/**
 * A CI system: a Gerrit account whose comments are CI results (named in the configuration, or
 * found when one of its comments parses as a report). `upstream` marks the trusted CI that the
 * others are compared with.
 */
export const CiSystem = defineEntity({
  name: 'CiSystem',
  tableName: 'ci_systems',
  properties: (p) => ({
    id: p.integer().primary().autoincrement(),
    account: p.manyToOne(GerritAccount).deleteRule('cascade').index(false).unique(),
    name: p.string().length(255),
    upstream: p.boolean().default(false),
    firstReportAt: p.datetime().nullable(),
    lastReportAt: p.datetime().nullable(),
  }),
});
export type CiSystem = InferEntity<typeof CiSystem>;
