import { defineEntity, type InferEntity } from '@mikro-orm/core';

/**
 * The insights outbox: one row per transition worth telling the outside (a test became or
 * stopped being flaky or broken, a failure signature was seen for the first time), written in
 * the transaction that made the transition, so that subscribers and webhooks hear of exactly
 * what was committed (server/insights/events.ts).
 */
export const InsightEvent = defineEntity({
  name: 'InsightEvent',
  tableName: 'insight_events',
  properties: (p) => ({
    id: p.bigint('number').primary().autoincrement(),
    /** `test.verdict` or `signature.new`. */
    kind: p.string().length(32),
    /** The event as JSON (server/insights/events.ts `InsightEventPayload`). */
    payload: p.text(),
    createdAt: p.datetime().index(),
  }),
});
export type InsightEvent = InferEntity<typeof InsightEvent>;
