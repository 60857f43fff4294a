import type { EventSummary } from './events.js';
import { topic } from '../graphql/pubsub.js';

/** An event the collector accepted and stored for the first time (or an unstored type). */
export const gerritEvent = topic<EventSummary>('gerrit-event');
