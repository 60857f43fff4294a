/** Simple generated Gerrit sequences (a patch set, then a CI comment, per change): raw stream-events objects as a real server sends them. */
import type { RawEvent } from './gerrit-changes.js';

export interface SequenceOptions {
  /** Changes to make. */
  readonly changes: number;
  /** The first change's number. Default 1000. */
  readonly firstChange?: number;
  /** Epoch seconds of the first event. */
  readonly start: number;
  /** Seconds between consecutive events. Default 60. */
  readonly step?: number;
  /** Projects the changes cycle through. Default `openstack/nova`. */
  readonly projects?: readonly string[];
}

/** Per change: a patch set uploaded, then a CI comment on it (two events, a step apart). */
export function generateSequence(options: SequenceOptions): RawEvent[] {
  const step = options.step ?? 60;
  const projects = options.projects ?? ['openstack/nova'];
  const events: RawEvent[] = [];
  let time = options.start;
  for (let i = 0; i < options.changes; i++) {
    const number = (options.firstChange ?? 1000) + i;
    const project = projects[i % projects.length]!;
    events.push(patchsetCreated({ number, patchSet: 1, time, project }));
    time += step;
    events.push(ciComment({ number, patchSet: 1, time, project }));
    time += step;
  }
  return events;
}

export interface EventAt {
  readonly number: number;
  readonly patchSet: number;
  /** Epoch seconds. */
  readonly time: number;
  readonly project?: string;
}

function change({ number, project }: EventAt): RawEvent {
  return {
    project: project ?? 'openstack/nova',
    branch: 'master',
    id: `I${number.toString(16).padStart(40, '0')}`,
    number: String(number),
    subject: `Change ${number}`,
    owner: { username: 'dev', name: 'Dev Eloper', email: 'dev@example.org' },
    url: `https://review.example.org/${number}`,
  };
}

function patchSet(at: EventAt, created: number): RawEvent {
  return {
    number: String(at.patchSet),
    revision: `${at.number.toString(16)}${at.patchSet}`.padEnd(40, 'a'),
    ref: `refs/changes/${String(at.number % 100).padStart(2, '0')}/${at.number}/${at.patchSet}`,
    uploader: { username: 'dev', name: 'Dev Eloper', email: 'dev@example.org' },
    createdOn: created,
  };
}

export function patchsetCreated(at: EventAt): RawEvent {
  return {
    type: 'patchset-created',
    change: change(at),
    patchSet: patchSet(at, at.time),
    uploader: { username: 'dev', name: 'Dev Eloper', email: 'dev@example.org' },
    eventCreatedOn: at.time,
  };
}

/** A Zuul-style result on the patch set created one step earlier. */
export function ciComment(at: EventAt & { created?: number }): RawEvent {
  return {
    type: 'comment-added',
    change: change(at),
    patchSet: patchSet(at, at.created ?? at.time - 60),
    author: { username: 'zuul', name: 'Zuul' },
    approvals: [{ type: 'Verified', description: 'Verified', value: '1' }],
    comment:
      `Patch Set ${at.patchSet}: Verified+1\n\nBuild succeeded (check pipeline).\n\n` +
      `- tempest-full https://logs.example.org/${at.number}/${at.patchSet}/tempest-full/ : SUCCESS in 1h 02m 03s\n`,
    eventCreatedOn: at.time,
  };
}
