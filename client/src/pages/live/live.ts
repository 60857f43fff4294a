/**
 * The live page's logic as plain functions: Gerrit events and CI reports as one kind of entry,
 * the bounded newest-first list, and the filters (project, CI, type) as the URL keeps them.
 */
import type { AcceptedEvent, ReportedCi } from '../../documents/live.js';

/** The most entries the page keeps (shown or waiting while paused). */
export const MAX_ENTRIES = 500;

/** The type a CI report is listed under, beside Gerrit's own event types. */
export const REPORT_TYPE = 'ci-report';

/** The types the type filter always offers (others join it once they arrive). */
export const KNOWN_TYPES = [
  'patchset-created',
  'comment-added',
  'change-merged',
  'change-abandoned',
  'change-restored',
  'reviewer-added',
  'ref-updated',
  REPORT_TYPE,
] as const;

export interface LiveEntry {
  /** Unique on the page, in arrival order. */
  readonly key: number;
  readonly type: string;
  readonly project: string | null;
  readonly change: number | null;
  readonly patchSet: number | null;
  readonly at: string;
  /** Who acted: an event's author, a report's CI (account keys). */
  readonly account: string | null;
  /** A report's CI's name, verdict and vote. */
  readonly report: { ciName: string; verdict: string | null; vote: number | null } | null;
}

export function entryOfEvent(event: AcceptedEvent, key: number): LiveEntry {
  return {
    key,
    type: event.type,
    project: event.project,
    change: event.change,
    patchSet: event.patchSet,
    at: event.createdOn,
    account: event.author,
    report: null,
  };
}

export function entryOfReport(report: ReportedCi, key: number): LiveEntry {
  return {
    key,
    type: REPORT_TYPE,
    project: report.project,
    change: report.patchSet.changeNumber,
    patchSet: report.patchSet.number,
    at: report.createdAt,
    account: report.ci.ci,
    report: { ciName: report.ci.name, verdict: report.verdict, vote: report.vote },
  };
}

/** `newer` (oldest first, as they arrived) on top of `list` (newest first), at most `max`. */
export function prepend(
  list: readonly LiveEntry[],
  newer: readonly LiveEntry[],
  max = MAX_ENTRIES,
): LiveEntry[] {
  return [...[...newer].reverse(), ...list].slice(0, max);
}

/** What the entries must match; '' matches anything. */
export interface LiveFilter {
  readonly project: string;
  readonly ci: string;
  readonly type: string;
}

export function matches(entry: LiveEntry, filter: LiveFilter): boolean {
  return (
    (filter.project === '' || entry.project === filter.project) &&
    (filter.ci === '' || entry.account === filter.ci) &&
    (filter.type === '' || entry.type === filter.type)
  );
}

/** The distinct values `pick` gives over the entries and `known`, sorted, nulls left out. */
export function choices(
  entries: readonly LiveEntry[],
  pick: (entry: LiveEntry) => string | null,
  known: readonly string[] = [],
): string[] {
  const values = new Set(known);
  for (const entry of entries) {
    const value = pick(entry);
    if (value !== null) values.add(value);
  }
  return [...values].sort();
}
