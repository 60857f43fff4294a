/**
 * The live page's logic without a browser: events and reports as one list, newest first and
 * bounded; the filters by project, CI (an event's author, a report's CI) and type.
 */
import { describe, expect, it } from 'vitest';
import {
  choices,
  entryOfEvent,
  entryOfReport,
  matches,
  prepend,
  REPORT_TYPE,
  type LiveEntry,
} from '../../client/src/pages/live/live.js';

const event = (key: number, type: string, project: string | null, author: string | null) =>
  entryOfEvent(
    {
      type,
      project,
      change: 10_000 + key,
      patchSet: 1,
      createdOn: '2026-05-13T10:00:00.000Z',
      author,
    },
    key,
  );
const report = (key: number, project: string, ci: string) =>
  entryOfReport(
    {
      id: String(key),
      project,
      verdict: 'FAILURE',
      vote: -1,
      createdAt: '2026-05-13T10:05:00.000Z',
      pipeline: 'check',
      ci: { ci, name: ci.toUpperCase() },
      patchSet: { number: 3, changeNumber: 10_000 + key },
    },
    key,
  );

describe('the live list', () => {
  it('puts what arrives on top and keeps the newest', () => {
    let list: LiveEntry[] = [];
    for (let key = 0; key < 7; key++)
      list = prepend(list, [event(key, 'comment-added', 'p', 'a')], 5);
    expect(list.map((e) => e.key)).toEqual([6, 5, 4, 3, 2]);
    // What waited while paused arrived oldest first: the newest of it ends on top.
    expect(
      prepend(list, [event(7, 'x', null, null), event(8, 'x', null, null)], 5).map((e) => e.key),
    ).toEqual([8, 7, 6, 5, 4]);
  });

  it('reads a report as an entry of its own type, by its CI', () => {
    expect(report(1, 'nova', 'acme-ci')).toEqual({
      key: 1,
      type: REPORT_TYPE,
      project: 'nova',
      change: 10_001,
      patchSet: 3,
      at: '2026-05-13T10:05:00.000Z',
      account: 'acme-ci',
      report: { ciName: 'ACME-CI', verdict: 'FAILURE', vote: -1 },
    });
  });

  it('filters by project, CI and type, all of them holding', () => {
    const list = [
      event(0, 'patchset-created', 'nova', 'dev1'),
      event(1, 'comment-added', 'nova', 'acme-ci'),
      report(2, 'nova', 'acme-ci'),
      report(3, 'glance', 'acme-ci'),
      event(4, 'ref-updated', 'nova', null),
    ];
    const keys = (filter: { project?: string; ci?: string; type?: string }) =>
      list
        .filter((e) => matches(e, { project: '', ci: '', type: '', ...filter }))
        .map((e) => e.key);
    expect(keys({})).toEqual([0, 1, 2, 3, 4]);
    expect(keys({ project: 'nova' })).toEqual([0, 1, 2, 4]);
    expect(keys({ ci: 'acme-ci' })).toEqual([1, 2, 3]);
    expect(keys({ ci: 'acme-ci', project: 'nova', type: REPORT_TYPE })).toEqual([2]);
    expect(keys({ type: 'ref-updated' })).toEqual([4]);
    expect(choices(list, (e) => e.project, ['swift'])).toEqual(['glance', 'nova', 'swift']);
  });
});
