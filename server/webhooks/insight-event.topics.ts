import { topic } from '../graphql/pubsub.js';
import type { InsightEventPayload } from '../insights/events.js';

/** An outbox event as the bus carries it to the `insightEvents` subscribers (plain JSON). */
export interface InsightEventMessage {
  /** The outbox id, as text. */
  readonly id: string;
  /** When it was recorded, ISO 8601. */
  readonly recordedAt: string;
  readonly event: InsightEventPayload;
}

/** Published once per event, by the instance that claimed its subscription delivery. */
export const insightEventDelivered = topic<InsightEventMessage>('insight-event');
