/** The parser on the real fixtures, the vote rule and the bounds. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  classifyComment,
  maxJobLines,
  maxMessageBytes,
  type ApprovalInput,
} from '../../server/cis/comment-parser.js';
import { maxJobLineLength, parseJobLine } from '../../server/cis/job-line.js';
import type { CommentAdded } from '../../server/gerrit/events.js';
import { normaliseEvent } from '../../server/gerrit/normalize.js';

function fixture(name: string): unknown {
  return JSON.parse(readFileSync(new URL(`../fixtures/gerrit/${name}`, import.meta.url), 'utf8'));
}

function commentsOf(raws: readonly unknown[]): CommentAdded[] {
  return raws.flatMap((raw) => {
    const normalised = normaliseEvent(raw, 0);
    return normalised.ok && normalised.event.type === 'comment-added'
      ? [normalised.event as CommentAdded]
      : [];
  });
}

function report(message: string, approvals: readonly ApprovalInput[] = [], tag?: string) {
  const kind = classifyComment(message, approvals, tag);
  if (kind.kind !== 'report') throw new Error(`not a report: ${JSON.stringify(kind)}`);
  return kind.report;
}

describe('the elastic-recheck gerrit events (Zuul v2, 2014)', () => {
  const comments = commentsOf(fixture('elastic-recheck-gerrit-events.json') as unknown[]);
  const reports = comments.map((comment) => report(comment.comment, comment.approvals));

  it('hold 116 job lines in eleven reports', () => {
    expect(comments).toHaveLength(11);
    expect(reports.reduce((sum, parsed) => sum + parsed.builds.length, 0)).toBe(116);
    expect(reports.map((parsed) => parsed.builds.length)).toEqual([
      11, 12, 12, 21, 1, 11, 11, 11, 10, 7, 9,
    ]);
  });

  it('read verdicts from the header and votes from the VRIF approvals', () => {
    expect(reports.map((parsed) => parsed.verdict)).toEqual([
      'SUCCESS',
      'FAILURE',
      'FAILURE',
      'SUCCESS',
      'SUCCESS',
      'FAILURE',
      'FAILURE',
      'SUCCESS',
      'SUCCESS',
      'SUCCESS',
      'SUCCESS',
    ]);
    expect(reports.map((parsed) => parsed.vote)).toEqual([1, -1, -1, 1, 1, -1, -1, 1, 1, 2, 2]);
    expect(reports.every((parsed) => parsed.pipeline === null)).toBe(true);
  });

  it('read job, URL, result, duration and voting word for word', () => {
    expect(reports[0]!.builds[0]).toEqual({
      job: 'gate-keystone-pep8',
      logUrl: 'http://logs.openstack.org/44/60244/12/check/gate-keystone-pep8/5ef9f24',
      result: 'SUCCESS',
      detail: null,
      durationSeconds: 100,
      voting: true,
    });
    expect(reports[0]!.builds[1]).toMatchObject({
      job: 'gate-keystone-docs',
      logUrl:
        'http://docs-draft.openstack.org/44/60244/12/check/gate-keystone-docs/60c7b1b/doc/build/html/',
      durationSeconds: 241,
    });
    expect(reports[1]!.builds).toContainEqual({
      job: 'check-grenade-dsvm-neutron',
      logUrl: 'http://logs.openstack.org/02/65902/3/check/check-grenade-dsvm-neutron/59354b6',
      result: 'FAILURE',
      detail: null,
      durationSeconds: 20 * 60 + 16,
      voting: false,
    });
    expect(reports[3]!.builds).toContainEqual({
      job: 'check-tempest-dsvm-postgres-full',
      logUrl: 'http://logs.openstack.org/05/65805/1/check/check-tempest-dsvm-postgres-full/74b4386',
      result: 'SUCCESS',
      detail: null,
      durationSeconds: 3600 + 29 * 60 + 32,
      voting: true,
    });
    expect(reports[4]!.builds).toEqual([
      {
        job: 'gate-noop',
        logUrl: 'http://logs.openstack.org/78/65378/15/check/gate-noop/05e95c4',
        result: 'SUCCESS',
        detail: null,
        durationSeconds: 0,
        voting: true,
      },
    ]);
    expect(reports[5]!.builds).toContainEqual(
      expect.objectContaining({
        job: 'gate-keystone-python26',
        result: 'FAILURE',
        durationSeconds: 1084,
      }),
    );
  });

  it('count non-voting failures out of the verdict a header-less report gets', () => {
    // 65805's report succeeded with eight non-voting failures.
    const withoutHeader = comments[3]!.comment.replace(/^Build succeeded\.\n/, '');
    const parsed = report(withoutHeader);
    expect(parsed.builds).toHaveLength(21);
    expect(
      parsed.builds.filter((build) => !build.voting && build.result === 'FAILURE'),
    ).toHaveLength(7);
    expect(parsed.verdict).toBe('SUCCESS');
  });
});

describe('the elastic-recheck jenkins events', () => {
  const { events } = fixture('elastic-recheck-jenkins-events.json') as { events: unknown[] };

  it('parse the comment that starts with its Patch Set header', () => {
    const raw = events[0] as { comment: string };
    const parsed = report(raw.comment);
    expect(parsed.verdict).toBe('FAILURE');
    // The header names no Verified vote, so there is none.
    expect(parsed.vote).toBeNull();
    expect(parsed.builds).toHaveLength(11);
    expect(parsed.builds[5]).toEqual({
      job: 'check-tempest-dsvm-postgres-full',
      logUrl: 'http://logs.openstack.org/31/64831/1/check/check-tempest-dsvm-postgres-full/91f3b16',
      result: 'FAILURE',
      detail: null,
      durationSeconds: 3600 + 60 + 15,
      voting: true,
    });
    expect(parsed.builds.filter((build) => build.result === 'FAILURE')).toHaveLength(4);
  });
});
describe('the vote', () => {
  const body = 'Build succeeded.\n\n- a http://ci.example/a/1 : SUCCESS';

  it('comes from the header first, the same for the REST and the stream form of a comment', () => {
    const stream = [
      { label: 'Verified', value: 1, oldValue: 0 },
      { label: 'Code-Review', value: 0 },
    ];
    expect(report(`Patch Set 1: Verified+1\n\n${body}`, stream).vote).toBe(1);
    expect(report(`Patch Set 1: Verified+1\n\n${body}`, []).vote).toBe(1);
    expect(report(`Patch Set 1: Code-Review+2 Verified-2\n\n${body}`, []).vote).toBe(-2);
    expect(report(`Patch Set 1: -Verified\n\n${body}`, []).vote).toBe(0);
  });

  it('ignores an unchanged approval when there is no header, and a header without Verified', () => {
    expect(report(body, [{ label: 'Verified', value: 1, oldValue: 1 }]).vote).toBeNull();
    expect(report(body, [{ label: 'Verified', value: -1 }]).vote).toBe(-1);
    expect(report(`Patch Set 1:\n\n${body}`, [{ label: 'Verified', value: 1 }]).vote).toBeNull();
  });
});

describe('bounds', () => {
  it(`reads at most ${maxJobLines} job lines`, () => {
    const lines = Array.from(
      { length: maxJobLines + 50 },
      (_, i) => `- job-${i} http://ci.example/${i}/abcdef${i} : SUCCESS`,
    );
    const parsed = report(`Build succeeded.\n\n${lines.join('\n')}`);
    expect(parsed.builds).toHaveLength(maxJobLines);
    expect(parsed.builds.at(-1)!.job).toBe(`job-${maxJobLines - 1}`);
  });

  it(`reads a long message on its first ${maxMessageBytes} bytes, back to a line end`, () => {
    const line = `- job http://ci.example/logs/${'x'.repeat(80)}/job/abcdef0 : SUCCESS in 1s\n`;
    const whole = Math.floor(60_000 / line.length);
    const head = 'Build succeeded.\n\n';
    // A filler line that makes the byte limit fall in the middle of a SUCCESS.
    const fillerLength =
      maxMessageBytes - head.length - whole * line.length - (line.indexOf('SUCCESS') + 4);
    const message = `${head}${'n'.repeat(fillerLength - 1)}\n${line.repeat(whole + 10)}`;
    expect(Buffer.byteLength(message)).toBeGreaterThan(maxMessageBytes);
    const parsed = report(message);
    expect(parsed.builds).toHaveLength(whole);
    expect(parsed.builds.every((build) => build.result === 'SUCCESS')).toBe(true);
  });
});

describe('hostile text', () => {
  it('reads long runs of spaces and words in linear time, and no overlong line as a build', () => {
    const spaces = ' '.repeat(60_000);
    const line = `- job http://ci.example/job/abcdef0 : FAILURE in${spaces}in${spaces}x`;
    expect(parseJobLine(line.slice(0, maxJobLineLength))).toMatchObject({
      job: 'job',
      result: 'FAILURE',
      durationSeconds: null,
    });
    expect(parseJobLine(line)).toBeNull();
    const message = `Build failed${' '.repeat(20_000)}x\n\n- a http://ci.example/a/1 : SUCCESS${' '.repeat(3000)}(non-voting)`;
    expect(report(message)).toMatchObject({
      verdict: 'SUCCESS',
      builds: [{ job: 'a', result: 'SUCCESS', voting: false }],
    });
    expect(classifyComment(`recheck${spaces}`, [])).toEqual({
      kind: 'recheck',
      reason: null,
      target: null,
    });
  });
});
