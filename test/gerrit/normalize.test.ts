import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { CommentAdded, GerritEvent, Normalised } from '../../server/gerrit/events.js';
import { isStored } from '../../server/gerrit/events.js';
import {
  maxApprovals,
  maxEventBytes,
  normaliseEvent,
  normaliseLine,
} from '../../server/gerrit/normalize.js';

const RECEIVED = 1_700_000_000;

function text(name: string): string {
  return readFileSync(new URL(`../fixtures/gerrit/${name}`, import.meta.url), 'utf8');
}

function pygerrit(name: string): Normalised {
  return normaliseLine(text(`pygerrit/${name}-event.txt`).replace(/\n/g, ' '), RECEIVED);
}

function accepted(normalised: Normalised): { event: GerritEvent; warnings: readonly string[] } {
  if (!normalised.ok) throw new Error(`refused: ${normalised.warning}`);
  return normalised;
}

describe('the pygerrit samples', () => {
  it('normalise a comment-added: numbers, old labels, the patch set time', () => {
    const { event, warnings } = accepted(pygerrit('comment-added'));
    expect(event).toEqual<CommentAdded>({
      type: 'comment-added',
      createdOn: 1341370514,
      change: {
        project: 'project-name',
        branch: 'branch-name',
        number: 123456,
        id: 'Ideadbeefdeadbeefdeadbeefdeadbeefdeadbeef',
        subject: 'Commit message subject',
        url: 'http://review.example.com/123456',
        topic: 'topic-name',
        owner: { name: 'Owner Name', email: 'owner@example.com' },
      },
      patchSet: {
        number: 4,
        revision: 'deadbeefdeadbeefdeadbeefdeadbeefdeadbeef',
        ref: 'refs/changes/56/123456/4',
        uploader: { name: 'Uploader Name', email: 'uploader@example.com' },
        createdOn: 1341370514,
      },
      author: { name: 'Author Name', email: 'author@example.com' },
      comment: 'Review comment',
      approvals: [
        { label: 'Code-Review', value: 1 },
        { label: 'Verified', value: 1 },
      ],
    });
    expect(warnings).toEqual([
      'comment-added: no eventCreatedOn, its patch set or comment time used',
      'comment-added: numbers sent as strings (change.number, patchSet.number, approvals.value)',
      'comment-added: old label names (CRVW → Code-Review, VRIF → Verified)',
    ]);
  });

  it('take draft-published as patchset-created, with its uploader', () => {
    const { event } = accepted(pygerrit('draft-published'));
    expect(event).toMatchObject({
      type: 'patchset-created',
      createdOn: 1342075181,
      uploader: { name: 'Uploader Name', email: 'uploader@example.com' },
      patchSet: { number: 4 },
    });
    expect(accepted(pygerrit('patchset-created')).event).toEqual(event);
  });

  it('normalise change-merged with its submitter', () => {
    const { event } = accepted(pygerrit('change-merged'));
    expect(isStored(event)).toBe(true);
    expect(event).toMatchObject({
      type: 'change-merged',
      createdOn: 1341370514,
      change: { number: 123456, project: 'project-name' },
      patchSet: { number: 4 },
      submitter: { name: 'Submitter Name', email: 'submitter@example.com' },
    });
  });

  it('accept abandon and restore without a patch set, as events not stored', () => {
    for (const type of ['change-abandoned', 'change-restored']) {
      const { event, warnings } = accepted(pygerrit(type));
      expect(isStored(event)).toBe(false);
      expect(event).toEqual({ type, createdOn: RECEIVED, project: 'project-name', change: 123456 });
      expect(warnings).toContain(`${type}: no patchSet, not stored`);
      expect(warnings).toContain(`${type}: no eventCreatedOn, the time received used`);
    }
  });

  it('take ref-updated, reviewer-added, topic-changed and merge-failed as other events', () => {
    expect(pygerrit('ref-updated')).toEqual({
      ok: true,
      event: { type: 'ref-updated', createdOn: RECEIVED, project: 'project-name' },
      warnings: ['ref-updated: no eventCreatedOn, the time received used'],
    });
    expect(accepted(pygerrit('reviewer-added')).event).toEqual({
      type: 'reviewer-added',
      createdOn: RECEIVED,
      project: 'project-name',
      change: 123456,
      patchSet: 4,
    });
    expect(accepted(pygerrit('topic-changed')).event).toMatchObject({ change: 123456 });
    expect(accepted(pygerrit('merge-failed')).event).toMatchObject({
      type: 'merge-failed',
      patchSet: 4,
    });
  });

  it('take unhandled and user-defined types as other events with a warning', () => {
    for (const [file, type] of [
      ['unhandled', 'this-event-is-not-handled'],
      ['user-defined', 'user-defined-event'],
    ] as const) {
      const { event, warnings } = accepted(pygerrit(file));
      expect(event).toEqual({ type, createdOn: RECEIVED });
      expect(warnings).toContain(`${type}: unknown event type`);
    }
  });

  it('refuse the invalid JSON', () => {
    const normalised = normaliseLine(text('pygerrit/invalid-json.txt'), RECEIVED);
    expect(normalised.ok).toBe(false);
    expect(!normalised.ok && normalised.warning).toMatch(/^invalid JSON: /);
  });
});

describe('the elastic-recheck events', () => {
  it('normalise every gerrit event, eventCreatedOn kept and VRIF renamed', () => {
    const raws = JSON.parse(text('elastic-recheck-gerrit-events.json')) as unknown[];
    const events = raws.map((raw) => accepted(normaliseEvent(raw, RECEIVED)).event as CommentAdded);
    expect(events.map((event) => event.type)).toEqual(Array(11).fill('comment-added'));
    expect(events[0]).toMatchObject({
      createdOn: 1389371115,
      change: {
        number: 60244,
        project: 'openstack/keystone',
        branch: 'master',
        topic: 'bp/mapping',
      },
      patchSet: { number: 12, createdOn: 1389371115 },
      author: { username: 'jenkins', name: 'Jenkins' },
      approvals: [{ label: 'Verified', value: 1 }],
    });
    expect(events[9]!.approvals).toEqual([{ label: 'Verified', value: 2 }]);
  });

  it('refuse the jenkins fixture comments without a change, and keep the unknown type', () => {
    const { events } = JSON.parse(text('elastic-recheck-jenkins-events.json')) as {
      events: unknown[];
    };
    expect(events.map((raw) => normaliseEvent(raw, RECEIVED))).toEqual([
      { ok: false, warning: 'comment-added: no change' },
      {
        ok: true,
        event: { type: 'blah', createdOn: RECEIVED },
        warnings: ['blah: unknown event type', 'blah: no eventCreatedOn, the time received used'],
      },
      { ok: false, warning: 'comment-added: no change' },
    ]);
  });
});

describe('what is missing or malformed', () => {
  const change = { project: 'p', branch: 'main', number: 7 };
  const patchSet = { number: 2, createdOn: 100 };

  it('refuses events without a change number or project, naming the field', () => {
    expect(normaliseEvent({ type: 'comment-added', change: { project: 'p' }, patchSet })).toEqual({
      ok: false,
      warning: 'comment-added: no change.number',
    });
    expect(normaliseEvent({ type: 'patchset-created', change: { number: '7' }, patchSet })).toEqual(
      {
        ok: false,
        warning: 'patchset-created: no change.project',
      },
    );
    expect(
      normaliseEvent({ type: 'change-merged', change: { ...change, number: 'seven' }, patchSet }),
    ).toEqual({
      ok: false,
      warning: 'change-merged: no change.number',
    });
    expect(normaliseEvent([1, 2])).toEqual({ ok: false, warning: 'event is not a JSON object' });
    expect(normaliseEvent({ change })).toEqual({ ok: false, warning: 'event has no type' });
    expect(normaliseLine('  ')).toEqual({ ok: false, warning: 'empty line' });
  });

  it('gives a comment-added without comment an empty one, and times it by its approvals', () => {
    const { event, warnings } = accepted(
      normaliseEvent({
        type: 'comment-added',
        change,
        patchSet,
        author: { username: 'zuul' },
        approvals: [
          { type: 'Verified', value: '-1', oldValue: '0', grantedOn: 150 },
          { type: 'Code-Review' },
        ],
      }),
    );
    expect(event).toMatchObject({
      comment: '',
      createdOn: 150,
      approvals: [{ label: 'Verified', value: -1, oldValue: 0 }],
    });
    expect(warnings).toEqual([
      'comment-added: approval without a label or value ignored',
      'comment-added: no comment',
      'comment-added: no eventCreatedOn, its patch set or comment time used',
      'comment-added: numbers sent as strings (approvals.value, approvals.oldValue)',
    ]);
  });

  it('renames APRV and keeps today’s labels and the event time', () => {
    const { event, warnings } = accepted(
      normaliseEvent({
        type: 'comment-added',
        eventCreatedOn: 200,
        change,
        patchSet,
        author: { username: 'core' },
        comment: 'Patch Set 2: Workflow+1',
        approvals: [
          { type: 'APRV', value: '1' },
          { type: 'Verified', value: 0 },
        ],
      }),
    );
    expect((event as CommentAdded).approvals).toEqual([
      { label: 'Workflow', value: 1 },
      { label: 'Verified', value: 0 },
    ]);
    expect(event.createdOn).toBe(200);
    expect(warnings).toContain('comment-added: old label names (APRV → Workflow)');
  });

  it('fills in a missing branch with a warning, and takes project-created’s project', () => {
    const { event, warnings } = accepted(
      normaliseEvent({
        type: 'patchset-created',
        eventCreatedOn: 5,
        change: { project: 'p', number: 1 },
        patchSet,
      }),
    );
    expect(event).toMatchObject({ change: { branch: '' } });
    expect(warnings).toEqual(['patchset-created: no change.branch']);
    expect(
      normaliseEvent({ type: 'project-created', projectName: 'new/one', eventCreatedOn: 9 }),
    ).toEqual({
      ok: true,
      event: { type: 'project-created', createdOn: 9, project: 'new/one' },
      warnings: [],
    });
  });

  it(`reads at most ${maxApprovals} approvals`, () => {
    const approvals = Array.from({ length: maxApprovals + 5 }, (_, i) => ({
      type: `L${i}`,
      value: 1,
    }));
    const { event, warnings } = accepted(
      normaliseEvent({
        type: 'comment-added',
        eventCreatedOn: 1,
        change,
        patchSet,
        comment: 'x',
        approvals,
      }),
    );
    expect((event as CommentAdded).approvals).toHaveLength(maxApprovals);
    expect(warnings).toEqual([`comment-added: over ${maxApprovals} approvals, the rest ignored`]);
  });

  it('exports the line size a caller refuses over', () => {
    expect(maxEventBytes).toBe(1024 * 1024);
  });
});
