import { describe, expect, it } from 'vitest';
import { classifyComment } from '../../server/cis/comment-parser.js';
import { commentIdentity } from '../../server/gerrit/comment-identity.js';
import type { CommentAdded, GerritEvent, StoredEvent } from '../../server/gerrit/events.js';
import { isStored } from '../../server/gerrit/events.js';
import { normaliseEvent } from '../../server/gerrit/normalize.js';
import { changeToEvents } from '../../server/gerrit/rest-changes.js';
import { defaultCis, generateHistory, type HistoryOptions } from '../helpers/gerrit-history.js';

const START = Date.UTC(2026, 10, 1) / 1000;
const options: HistoryOptions = { seed: 42, changes: 300, start: START, spanSeconds: 7 * 86400 };

function normaliseAll(events: readonly object[]): { events: GerritEvent[]; warnings: string[] } {
  const warnings: string[] = [];
  const normalised = events.map((raw) => {
    const result = normaliseEvent(raw, 0);
    if (!result.ok) throw new Error(`refused: ${result.warning} in ${JSON.stringify(raw)}`);
    warnings.push(...result.warnings);
    return result.event;
  });
  return { events: normalised, warnings };
}

/** Each stored event as a comparable line; comments by their identity. */
function keyOf(event: StoredEvent): string {
  if (event.type === 'comment-added') {
    const id = commentIdentity(event);
    return `${event.type} ${id.change}/${id.patchSet} ${id.author} ${id.digest}`;
  }
  return `${event.type} ${event.change.number}/${event.patchSet.number}`;
}

function timesByKey(events: readonly StoredEvent[]): Map<string, number[]> {
  const byKey = new Map<string, number[]>();
  for (const event of events) {
    const key = keyOf(event);
    byKey.set(key, [...(byKey.get(key) ?? []), event.createdOn]);
  }
  return byKey;
}

/** The REST form gives the same stored events as the stream, each within a second. */
function expectSameStory(stream: readonly StoredEvent[], infos: readonly unknown[]): void {
  const rest = infos.flatMap((info) => {
    const { events, warnings } = changeToEvents(info);
    expect(warnings).toEqual([]);
    return events;
  });
  const streamTimes = timesByKey(stream);
  const restTimes = timesByKey(rest);
  expect([...restTimes.keys()].sort()).toEqual([...streamTimes.keys()].sort());
  for (const [key, times] of streamTimes) {
    const other = restTimes.get(key)!;
    expect(other.length, key).toBe(times.length);
    // The same comment said again later is another comment: times pair up in order, ≤ 1 s apart.
    other.forEach((time, i) => expect(Math.abs(time - times[i]!), key).toBeLessThanOrEqual(1));
  }
}

describe('generateHistory', () => {
  const history = generateHistory(options);

  it('is the same for the same options and another for another seed', () => {
    const again = generateHistory(options);
    expect(JSON.stringify(again.events)).toBe(JSON.stringify(history.events));
    expect(JSON.stringify(again.changes())).toBe(JSON.stringify(history.changes()));
    const other = generateHistory({ ...options, seed: 43 });
    expect(JSON.stringify(other.events)).not.toBe(JSON.stringify(history.events));
  });

  it('gives stream events in time order that all normalise without a warning', () => {
    const times = history.events.map(
      (event) => (event as { eventCreatedOn: number }).eventCreatedOn,
    );
    expect(times).toEqual([...times].sort((a, b) => a - b));
    const { events, warnings } = normaliseAll(history.events);
    expect(warnings).toEqual([]);
    const types = new Set(events.map((event) => event.type));
    expect([...types].sort()).toEqual([
      'change-abandoned',
      'change-merged',
      'change-restored',
      'comment-added',
      'patchset-created',
      'ref-updated',
      'reviewer-added',
    ]);
    const created = events.filter((event) => event.type === 'patchset-created');
    expect(new Set(created.map((event) => isStored(event) && event.change.number)).size).toBe(300);
  });

  it('tells the same story over REST: the same patch sets, state changes and comment identities', () => {
    expectSameStory(normaliseAll(history.events).events.filter(isStored), history.changes());
  });

  it('tells over REST, as of a time, what the stream had sent by then', () => {
    const times = history.events.map(
      (event) => (event as { eventCreatedOn: number }).eventCreatedOn,
    );
    const asOf = times[Math.floor(times.length / 2)]!;
    const sent = history.events.filter((_, i) => times[i]! <= asOf);
    expect(sent.length).toBeLessThan(history.events.length);
    const infos = history.changes(asOf);
    expect(infos.length).toBeLessThan(300);
    expectSameStory(normaliseAll(sent).events.filter(isStored), infos);
  });

  it('reads the same from either path in the legacy stream format', () => {
    const legacy = generateHistory({ ...options, legacy: true, changes: 100 });
    const { events, warnings } = normaliseAll(legacy.events);
    expect(new Set(warnings.map((warning) => warning.replace(/ \(.*\)$/, '')))).toEqual(
      new Set([
        'patchset-created: numbers sent as strings',
        'comment-added: numbers sent as strings',
        'comment-added: old label names',
        'reviewer-added: numbers sent as strings',
        'change-merged: numbers sent as strings',
        'change-abandoned: numbers sent as strings',
        'change-restored: numbers sent as strings',
      ]),
    );
    const comments = events.filter(
      (event): event is CommentAdded => event.type === 'comment-added',
    );
    expect(comments.some((comment) => comment.comment.startsWith('Patch Set'))).toBe(false);
    const restComments = new Map<string, CommentAdded[]>();
    for (const info of legacy.changes()) {
      for (const event of changeToEvents(info).events) {
        if (event.type !== 'comment-added') continue;
        restComments.set(keyOf(event), [...(restComments.get(keyOf(event)) ?? []), event]);
      }
    }
    for (const comment of comments) {
      const rest = restComments
        .get(keyOf(comment))
        ?.find((candidate) => Math.abs(candidate.createdOn - comment.createdOn) <= 1);
      expect(rest, keyOf(comment)).toBeDefined();
      expect(classifyComment(rest!.comment, rest!.approvals)).toEqual(
        classifyComment(comment.comment, comment.approvals),
      );
    }
  });

  it('is realistic: superseded patch sets, CIs that miss some, unparseable results, rechecks', () => {
    const events = normaliseAll(history.events).events.filter(isStored);
    const patchSets = new Map<string, number>();
    for (const event of events) {
      if (event.type === 'patchset-created')
        patchSets.set(`${event.change.number}/${event.patchSet.number}`, event.createdOn);
    }
    const supersededWithin3h = [...patchSets].filter(([key, created]) => {
      const [change, ps] = key.split('/').map(Number) as [number, number];
      const next = patchSets.get(`${change}/${ps + 1}`);
      return next !== undefined && next - created < 3 * 3600;
    });
    expect(supersededWithin3h.length).toBeGreaterThan(20);
    expect(Math.max(...[...patchSets.keys()].map((key) => Number(key.split('/')[1])))).toBe(5);

    const kinds = new Map<string, Set<string>>();
    const reported = new Map<string, Set<string>>();
    for (const event of events) {
      if (event.type !== 'comment-added') continue;
      const kind = classifyComment(event.comment, event.approvals);
      const who = event.author.username!;
      kinds.set(who, (kinds.get(who) ?? new Set()).add(kind.kind));
      if (kind.kind === 'report') {
        reported.set(
          who,
          (reported.get(who) ?? new Set()).add(`${event.change.number}/${event.patchSet.number}`),
        );
      }
    }
    for (const ci of defaultCis) {
      expect(kinds.get(ci.username)).toContain('report');
      const share = reported.get(ci.username)!.size / patchSets.size;
      expect(share, ci.username).toBeLessThan(1);
      expect(share, ci.username).toBeGreaterThan(0.3);
    }
    expect(kinds.get('zuul')).toEqual(new Set(['report', 'ci-notice']));
    expect(kinds.get('vendor-nsx-ci')).toEqual(new Set(['report', 'other']));
    const humans = [...kinds].filter(([who]) => who.startsWith('dev'));
    expect(humans.some(([, seen]) => seen.has('recheck'))).toBe(true);
    expect(humans.every(([, seen]) => !seen.has('report'))).toBe(true);
  });

  it('gives the 100,000 events of the benchmark', () => {
    const big = generateHistory({ seed: 1, changes: 5600, start: START, spanSeconds: 30 * 86400 });
    expect(big.events.length).toBeGreaterThan(100_000);
    expect(big.changes()).toHaveLength(5600);
  });
});
