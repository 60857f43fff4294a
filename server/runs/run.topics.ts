import { topic } from '../graphql/pubsub.js';
import type { RunRow } from './run.service.js';

/** A run was stored: its row as read after the commit, and its metadata (for filters). */
export interface RunIngestedEvent {
  run: RunRow;
  metadata: { key: string; value: string }[];
}

export const runIngested = topic<RunIngestedEvent>('run-ingested');
