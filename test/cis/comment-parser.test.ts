import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  classifyComment,
  maxJobLines,
  maxMessageBytes,
  parseCiReport,
  type ApprovalInput,
} from '../../server/cis/comment-parser.js';
import { jobFromUrl } from '../../server/cis/job-line.js';
import type { ParsedReport } from '../../server/cis/report.js';
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

describe('Zuul v2', () => {
  it('reads the pipeline of an OpenStack header and URL-only lines, the job from the URL', () => {
    const parsed = report(
      'Patch Set 3: Verified-1\n\nBuild failed (check pipeline).  For information on how to proceed, see https://docs.openstack.org/infra/manual/developers.html#automated-testing\n\n' +
        '- http://logs.openstack.org/02/65902/3/check/gate-neutron-pep8/0ef123c : SUCCESS in 2m 13s\n' +
        '- http://logs.openstack.org/02/65902/3/check/check-grenade-dsvm-neutron/59354b6 : FAILURE in 20m 16s (non-voting)\n' +
        '- http://logs.openstack.org/02/65902/3/check/gate-neutron-python27/1234567/ : FAILURE in 1h 02m 03s\n',
    );
    expect(parsed).toEqual<ParsedReport>({
      verdict: 'FAILURE',
      pipeline: 'check',
      vote: -1,
      builds: [
        {
          job: 'gate-neutron-pep8',
          logUrl: 'http://logs.openstack.org/02/65902/3/check/gate-neutron-pep8/0ef123c',
          result: 'SUCCESS',
          detail: null,
          durationSeconds: 133,
          voting: true,
        },
        {
          job: 'check-grenade-dsvm-neutron',
          logUrl: 'http://logs.openstack.org/02/65902/3/check/check-grenade-dsvm-neutron/59354b6',
          result: 'FAILURE',
          detail: null,
          durationSeconds: 1216,
          voting: false,
        },
        {
          job: 'gate-neutron-python27',
          logUrl: 'http://logs.openstack.org/02/65902/3/check/gate-neutron-python27/1234567/',
          result: 'FAILURE',
          detail: null,
          durationSeconds: 3723,
          voting: true,
        },
      ],
    });
  });

  it('reads NOT_REGISTERED and a job with no URL', () => {
    const parsed = report(
      'Build failed.\n\n- gate-foo-docs gate-foo-docs : NOT_REGISTERED\n- gate-foo-pep8 : SUCCESS in 9s',
    );
    expect(parsed.builds).toEqual([
      {
        job: 'gate-foo-docs',
        logUrl: null,
        result: 'NOT_REGISTERED',
        detail: null,
        durationSeconds: null,
        voting: true,
      },
      {
        job: 'gate-foo-pep8',
        logUrl: null,
        result: 'SUCCESS',
        detail: null,
        durationSeconds: 9,
        voting: true,
      },
    ]);
  });

  it('reads Merge Failed. and a failed dependency', () => {
    expect(
      report(
        'Merge Failed.\n\nThis change was unable to be automatically merged with the current state of the repository. Please rebase your change and upload a new patchset.',
      ),
    ).toEqual({
      verdict: 'MERGE_FAILED',
      pipeline: null,
      vote: null,
      builds: [],
    });
    expect(
      report('Patch Set 2: Verified-1\n\nThis change depends on a change that failed to merge.'),
    ).toMatchObject({
      verdict: 'DEPENDENCY_FAILED',
      vote: -1,
    });
  });
});

describe('Zuul v3', () => {
  const results = [
    'SUCCESS',
    'FAILURE',
    'ERROR',
    'ABORTED',
    'SKIPPED',
    'RETRY_LIMIT',
    'POST_FAILURE',
    'TIMED_OUT',
    'NODE_FAILURE',
    'MERGER_FAILURE',
    'CONFIG_ERROR',
    'DISK_FULL',
    'LOST',
    'CANCELED',
  ];

  it('reads every result word, with the pipeline from the tag', () => {
    const message =
      'Build failed.\n\nhttps://zuul.example.org/t/main/buildset/8c1f\n\n' +
      results
        .map(
          (result, i) =>
            `- job-${i} https://zuul.example.org/t/main/build/abc${i}f : ${result} in ${i}s`,
        )
        .join('\n');
    const parsed = report(message, [], 'autogenerated:zuul:gate');
    expect(parsed.pipeline).toBe('gate');
    expect(parsed.builds.map((build) => build.result)).toEqual(results);
    expect(parsed.builds.map((build) => build.durationSeconds)).toEqual(results.map((_, i) => i));
    expect(parsed.builds[3]!.logUrl).toBe('https://zuul.example.org/t/main/build/abc3f');
  });

  it('reads an ERROR detail, implicit build links and non-voting jobs', () => {
    const parsed = report(
      'Patch Set 4: Verified-1\n\nBuild failed (check pipeline).  For information on how to proceed, see\nhttps://docs.example.org/testing\n\n' +
        '- tox-pep8 build/3f2a9c1e : SUCCESS in 3m 12s\n' +
        '- tox-py311 https://zuul.example.org/t/main/build/77aa : ERROR Project example/lib does not have the default branch master in 0s\n' +
        '- tox-docs https://zuul.example.org/t/main/build/88bb : POST_FAILURE in 1h 00m 05s (non-voting)\n' +
        '- tox-cover tox-cover : SKIPPED\n',
      [{ label: 'Verified', value: -1, oldValue: 0 }],
      'autogenerated:zuul:check',
    );
    expect(parsed).toEqual<ParsedReport>({
      verdict: 'FAILURE',
      pipeline: 'check',
      vote: -1,
      builds: [
        {
          job: 'tox-pep8',
          logUrl: 'build/3f2a9c1e',
          result: 'SUCCESS',
          detail: null,
          durationSeconds: 192,
          voting: true,
        },
        {
          job: 'tox-py311',
          logUrl: 'https://zuul.example.org/t/main/build/77aa',
          result: 'ERROR',
          detail: 'Project example/lib does not have the default branch master',
          durationSeconds: 0,
          voting: true,
        },
        {
          job: 'tox-docs',
          logUrl: 'https://zuul.example.org/t/main/build/88bb',
          result: 'POST_FAILURE',
          detail: null,
          durationSeconds: 3605,
          voting: false,
        },
        {
          job: 'tox-cover',
          logUrl: null,
          result: 'SKIPPED',
          detail: null,
          durationSeconds: null,
          voting: true,
        },
      ],
    });
  });

  it('takes Starting … jobs. as a notice with its pipeline', () => {
    expect(
      classifyComment('Patch Set 1:\n\nStarting check jobs.', [], 'autogenerated:zuul:check'),
    ).toEqual({
      kind: 'ci-notice',
      pipeline: 'check',
    });
    expect(classifyComment('Starting gate jobs.', [])).toEqual({
      kind: 'ci-notice',
      pipeline: 'gate',
    });
  });

  it('takes a Zuul configuration error as an ERROR report', () => {
    expect(
      report(
        'Zuul encountered a syntax error while parsing its configuration in the repo example/lib on branch master.',
      ),
    ).toMatchObject({
      verdict: 'ERROR',
      builds: [],
    });
  });
});

describe('Jenkins gerrit-trigger', () => {
  it('reads URL : RESULT blocks, the job from /job/NAME/NN/', () => {
    const parsed = report(
      'Patch Set 7: Verified-1\n\nBuild Unstable \n\nhttps://ci.example.org/job/lib-verify/1234/ : UNSTABLE\n\nhttps://ci.example.org/job/team/job/lib-docs/56/ : SUCCESS\n\nhttps://ci.example.org/job/lib-lint/9/ : FAILURE (skipped)',
    );
    expect(parsed).toEqual<ParsedReport>({
      verdict: 'UNSTABLE',
      pipeline: null,
      vote: -1,
      builds: [
        {
          job: 'lib-verify',
          logUrl: 'https://ci.example.org/job/lib-verify/1234/',
          result: 'UNSTABLE',
          detail: null,
          durationSeconds: null,
          voting: true,
        },
        {
          job: 'lib-docs',
          logUrl: 'https://ci.example.org/job/team/job/lib-docs/56/',
          result: 'SUCCESS',
          detail: null,
          durationSeconds: null,
          voting: true,
        },
        {
          job: 'lib-lint',
          logUrl: 'https://ci.example.org/job/lib-lint/9/',
          result: 'FAILURE',
          detail: null,
          durationSeconds: null,
          voting: false,
        },
      ],
    });
  });

  it('reads Build Successful and Build Failed, and takes Build Started as a notice', () => {
    expect(
      report('Build Successful \n\nhttp://jenkins.example.org/job/x-unit/3/ : SUCCESS'),
    ).toMatchObject({
      verdict: 'SUCCESS',
      builds: [{ job: 'x-unit', result: 'SUCCESS' }],
    });
    expect(
      report(
        'Patch Set 2: Verified-1\n\nBuild Failed \n\nhttp://jenkins.example.org/job/x-unit/4/ : FAILURE',
      ),
    ).toMatchObject({
      verdict: 'FAILURE',
      vote: -1,
    });
    expect(
      classifyComment('Patch Set 2:\n\nBuild Started http://jenkins.example.org/job/x-unit/4/', []),
    ).toEqual({
      kind: 'ci-notice',
      pipeline: null,
    });
  });
});

describe('third-party variants', () => {
  it('reads * bullets, extra words, no period, names with dots, lower-case results', () => {
    const parsed = report(
      'Patch Set 3: Verified+1\n\nAcme Storage CI Build succeeded\n\n' +
        '* acme.tempest.full http://ci.acme.example/logs/65902/3/acme.tempest.full/a1b2c3d : SUCCESS in 1h 2m 3s\n' +
        '* acme-unit http://ci.acme.example/logs/acme-unit/77/ : success\n',
    );
    expect(parsed.verdict).toBe('SUCCESS');
    expect(parsed.vote).toBe(1);
    expect(parsed.builds).toEqual([
      {
        job: 'acme.tempest.full',
        logUrl: 'http://ci.acme.example/logs/65902/3/acme.tempest.full/a1b2c3d',
        result: 'SUCCESS',
        detail: null,
        durationSeconds: 3723,
        voting: true,
      },
      {
        job: 'acme-unit',
        logUrl: 'http://ci.acme.example/logs/acme-unit/77/',
        result: 'SUCCESS',
        detail: null,
        durationSeconds: null,
        voting: true,
      },
    ]);
  });

  it('reads a header with its pipeline among extra words', () => {
    expect(
      report(
        'Hyper-V CI Build failed (third-party-check pipeline). See the logs.\n\n- hv-tempest http://hv.example/1/2/hv-tempest/abcdef0 : FAILURE in 5m 00s',
      ),
    ).toMatchObject({
      verdict: 'FAILURE',
      pipeline: 'third-party-check',
    });
  });

  it('decides the verdict from voting builds when there is no header', () => {
    const lines =
      '- a http://ci.example/a/1 : SUCCESS\n- b http://ci.example/b/2 : FAILURE (non-voting)';
    expect(report(lines).verdict).toBe('SUCCESS');
    expect(report(`${lines}\n- c http://ci.example/c/3 : TIMED_OUT`).verdict).toBe('FAILURE');
  });
});

describe('rechecks and other comments', () => {
  it('reads recheck, recheck with a reason, reverify and recheck-<ci>', () => {
    expect(classifyComment('recheck', [])).toEqual({ kind: 'recheck', reason: null, target: null });
    expect(classifyComment('Patch Set 2:\n\nrecheck bug 123', [])).toEqual({
      kind: 'recheck',
      reason: 'bug 123',
      target: null,
    });
    expect(classifyComment('reverify', [])).toEqual({
      kind: 'recheck',
      reason: null,
      target: null,
    });
    expect(classifyComment('recheck-vmware  flaky mirror', [])).toEqual({
      kind: 'recheck',
      reason: 'flaky mirror',
      target: 'vmware',
    });
    expect(classifyComment('Recheck\r\n\r\nthe mirror was down', [])).toEqual({
      kind: 'recheck',
      reason: null,
      target: null,
    });
  });

  it('leaves prose alone, even prose that mentions builds', () => {
    for (const message of [
      'Patch Set 2: Code-Review+2',
      'rechecking the docs: looks fine to me',
      'The build failed because of the mirror, I think.',
      'Nits:\n- naming : please use snake case\n- tests : missing',
      '',
    ]) {
      expect(classifyComment(message, [{ label: 'Code-Review', value: 2 }])).toEqual({
        kind: 'other',
      });
    }
    expect(parseCiReport('Looks good to me', [])).toBeNull();
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

  it(`reads a long message on its first ${maxMessageBytes} bytes`, () => {
    const line = `- job http://ci.example/logs/${'x'.repeat(80)}/job/abcdef0 : SUCCESS in 1s\n`;
    const message = `Build succeeded.\n\n${line.repeat(Math.ceil((2 * maxMessageBytes) / line.length))}`;
    const parsed = report(message);
    expect(parsed.builds.length).toBe(
      Math.floor((maxMessageBytes - 'Build succeeded.\n\n'.length) / line.length),
    );
  });
});

describe('job names from URLs', () => {
  it.each([
    [
      'http://logs.openstack.org/44/60244/12/check/gate-keystone-pep8/5ef9f24',
      'gate-keystone-pep8',
    ],
    [
      'http://docs-draft.openstack.org/25/65925/1/gate/gate-savanna-docs/412dd7e/doc/build/html/',
      'gate-savanna-docs',
    ],
    ['https://ci.example.org/job/lib-verify/1234/', 'lib-verify'],
    ['https://ci.example.org/job/team/job/lib%20docs/56/console', 'lib docs'],
    ['http://logs.example.org/periodic/nightly-job/1234567/', 'nightly-job'],
    ['https://zuul.example.org/t/main/build/77aa9f', null],
  ])('%s → %s', (url, job) => {
    expect(jobFromUrl(url)).toBe(job);
  });
});
