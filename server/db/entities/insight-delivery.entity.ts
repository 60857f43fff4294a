import { defineEntity, type InferEntity } from '@mikro-orm/core';
import { InsightEvent } from './insight-event.entity.js';

/**
 * One delivery of an insights event to one target: the `insightEvents` subscription (no URL)
 * or a configured webhook URL. The table is a leased queue (server/webhooks/
 * deliveries.ts): instances claim deliveries under a lease, so that none is made twice at once.
 */
export const InsightDelivery = defineEntity({
  name: 'InsightDelivery',
  tableName: 'insight_deliveries',
  properties: (p) => ({
    id: p.integer().primary().autoincrement(),
    event: p.manyToOne(InsightEvent).deleteRule('cascade'),
    /** The delivery id a receiver sees (X-Gatewatch-Delivery), the same at every attempt. */
    uuid: p.string().length(36).unique(),
    /** The webhook URL; null: the subscription. */
    url: p.string().length(2048).nullable(),
    /** sha256 of the URL (`''` for the subscription): URLs are too long to index. */
    urlKey: p.string().length(64),
    /** queued, running, delivered or failed (given up). */
    state: p.string().length(16),
    /** Attempts started. */
    attempts: p.integer(),
    /** The last attempt's HTTP status, when it got one. */
    status: p.integer().nullable(),
    /** Why the last attempt failed. */
    error: p.string().length(1024).nullable(),
    /** A queued delivery is not claimed before then (the back-off after a failed attempt). */
    notBefore: p.datetime(),
    holder: p.string().length(255).nullable(),
    leaseUntil: p.datetime().nullable(),
    createdAt: p.datetime(),
    updatedAt: p.datetime(),
  }),
  uniques: [{ properties: ['event', 'urlKey'] }],
  // Claiming reads queued deliveries due by then, and running ones whose lease expired.
  indexes: [{ properties: ['state', 'notBefore'] }, { properties: ['state', 'leaseUntil'] }],
});
export type InsightDelivery = InferEntity<typeof InsightDelivery>;
