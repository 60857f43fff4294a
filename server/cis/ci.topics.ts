import { topic } from '../graphql/pubsub.js';

/** A CI report as stored, in plain JSON (times as ISO strings), for the `ciReports` subscribers. */
export interface CiReportEvent {
  readonly id: number;
  readonly ciId: number;
  /** The CI's account (its username, or the account key). */
  readonly ci: string;
  readonly project: string;
  readonly change: number;
  readonly patchSet: number;
  readonly patchSetId: number;
  readonly pipeline: string | null;
  readonly verdict: string | null;
  readonly vote: number | null;
  readonly createdAt: string;
}

export const ciReport = topic<CiReportEvent>('ci-report');
