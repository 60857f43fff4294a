/** parseInput: every form a user may paste, and the refusals. */
import { describe, expect, it } from 'vitest';
import { GatewatchError } from '../../server/errors.js';
import { parseInput, UNDERSTOOD_FORMS, type ScrapeInput } from '../../server/scrape/input.js';

const change = (n: number, patchSet: number | null, origin: string | null = null): ScrapeInput => ({
  kind: 'change',
  change: n,
  patchSet,
  origin,
});

const R = 'https://review.opendev.org';

const changes: [string, ScrapeInput][] = [
  ['271726', change(271726, null)],
  ['  271726\n', change(271726, null)],
  ['271726,3', change(271726, 3)],
  ['271726/3', change(271726, 3)],
  ['271726, 3', change(271726, 3)],
  [`${R}/c/271726`, change(271726, null, R)],
  [`${R}/c/271726/`, change(271726, null, R)],
  [`${R}/c/271726/3`, change(271726, 3, R)],
  [`${R}/c/271726/3/`, change(271726, 3, R)],
  [`${R}/#/c/271726/`, change(271726, null, R)],
  [`${R}/#/c/271726/3`, change(271726, 3, R)],
  [`${R}/#/c/271726/3/`, change(271726, 3, R)],
  [`${R}/c/openstack/stackviz/+/271726`, change(271726, null, R)],
  [`${R}/c/openstack/stackviz/+/271726/3`, change(271726, 3, R)],
  [`${R}/c/openstack/stackviz/+/271726/3/stackviz/main.py`, change(271726, 3, R)],
  [`${R}/c/openstack/stackviz/+/271726/#message-abc`, change(271726, null, R)],
  [`${R}/271726`, change(271726, null, R)],
  [`${R}/271726/`, change(271726, null, R)],
  [`${R}/271726/3`, change(271726, 3, R)],
  ['https://review.example.com/r/c/271726/2', change(271726, 2, 'https://review.example.com')],
  ['https://review.example.com/r/c/team/app/+/42', change(42, null, 'https://review.example.com')],
  ['http://review.openstack.org/#/c/271726/', change(271726, null, 'http://review.openstack.org')],
];

const L = 'http://logs.openstack.org';
type Log = Extract<ScrapeInput, { kind: 'log-url' }>;
const log = (url: string, fields: Partial<Omit<Log, 'kind' | 'url'>> = {}): ScrapeInput => ({
  kind: 'log-url',
  url,
  change: null,
  patchSet: null,
  pipeline: null,
  job: null,
  project: null,
  ...fields,
});

const logUrls: [string, ScrapeInput][] = [
  // Zuul v2: change[-2:]/change/patchset/pipeline/job/uuid7.
  [
    `${L}/26/271726/2/gate/gate-stackviz-python27/937cf7b/`,
    log(`${L}/26/271726/2/gate/gate-stackviz-python27/937cf7b/`, {
      change: 271726,
      patchSet: 2,
      pipeline: 'gate',
      job: 'gate-stackviz-python27',
    }),
  ],
  // No trailing slash, a file inside it, a query and a fragment: the job's directory.
  [
    `${L}/24/269624/19/check/gate-tempest-dsvm-full/84f9b4a/logs/testr_results.html.gz?x=1#top`,
    log(`${L}/24/269624/19/check/gate-tempest-dsvm-full/84f9b4a/`, {
      change: 269624,
      patchSet: 19,
      pipeline: 'check',
      job: 'gate-tempest-dsvm-full',
    }),
  ],
  // Zuul v3: change[-3:], and a swift container holding the shard.
  [
    'https://logs.opendev.org/726/271726/3/check/tempest-full-py3/7c374a7',
    log('https://logs.opendev.org/726/271726/3/check/tempest-full-py3/7c374a7/', {
      change: 271726,
      patchSet: 3,
      pipeline: 'check',
      job: 'tempest-full-py3',
    }),
  ],
  [
    'https://storage.example.net/v1/AUTH_abc/zuul_logs_726/271726/3/gate/nova-live-migration/0a1b2c3d4e5f/job-output.txt.gz',
    log(
      'https://storage.example.net/v1/AUTH_abc/zuul_logs_726/271726/3/gate/nova-live-migration/0a1b2c3d4e5f/',
      {
        change: 271726,
        patchSet: 3,
        pipeline: 'gate',
        job: 'nova-live-migration',
      },
    ),
  ],
  // A ref update: newrev[:2]/newrev/pipeline/job/uuid7.
  [
    `${L}/3c/3c5f2a0b9d8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a/post/stackviz-tarball/1a2b3c4/`,
    log(`${L}/3c/3c5f2a0b9d8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a/post/stackviz-tarball/1a2b3c4/`, {
      pipeline: 'post',
      job: 'stackviz-tarball',
    }),
  ],
  // Periodic, Zuul v2: pipeline/job/uuid7.
  [
    `${L}/periodic-stable/periodic-tempest-dsvm-full-liberty/5d0a9e1/`,
    log(`${L}/periodic-stable/periodic-tempest-dsvm-full-liberty/5d0a9e1/`, {
      pipeline: 'periodic-stable',
      job: 'periodic-tempest-dsvm-full-liberty',
    }),
  ],
  // Periodic, Zuul v3: pipeline/host/org/repo/branch/job/uuid7.
  [
    'https://logs.opendev.org/periodic/opendev.org/openstack/nova/stable/2024.1/nova-tox-py39/6f7e8d9/',
    log(
      'https://logs.opendev.org/periodic/opendev.org/openstack/nova/stable/2024.1/nova-tox-py39/6f7e8d9/',
      {
        pipeline: 'periodic',
        job: 'nova-tox-py39',
        project: 'openstack/nova',
      },
    ),
  ],
  // A layout nothing can be read from: the directory as given.
  ['https://ci.example.com/artifacts/latest', log('https://ci.example.com/artifacts/latest/')],
];

function refusal(text: string, gerrits?: string[]): GatewatchError {
  try {
    parseInput(text, gerrits);
  } catch (error) {
    expect(error).toBeInstanceOf(GatewatchError);
    return error as GatewatchError;
  }
  throw new Error(`${text} was accepted`);
}

describe('parseInput', () => {
  it.each(changes)('reads %s as a change', (text, expected) => {
    expect(parseInput(text)).toEqual(expected);
  });

  it.each(logUrls)('reads %s as a log URL', (text, expected) => {
    expect(parseInput(text)).toEqual(expected);
  });

  it("reads a configured Gerrit's URL as a change, and refuses one naming none", () => {
    const gerrit = ['https://gerrit.internal/gerrit'];
    expect(parseInput('https://gerrit.internal/gerrit/12/3', gerrit)).toEqual(
      change(12, 3, 'https://gerrit.internal'),
    );
    // Without the configuration the same path is a log directory.
    expect(parseInput('https://gerrit.internal/gerrit/12/3').kind).toBe('log-url');
    const error = refusal('https://gerrit.internal/gerrit/dashboard/self', gerrit);
    expect(error.message).toMatch(
      /is a URL of the Gerrit at https:\/\/gerrit.internal naming no change/,
    );
  });

  it.each([
    ['', 'the input is empty'],
    ['   ', 'the input is empty'],
    ['hello world', '"hello world" is not one'],
    ['271726,x', '"271726,x" is not one'],
    [
      'ftp://logs.example.org/26/271726/2/check/job/937cf7b/',
      'ftp: URLs are not read (http and https only)',
    ],
    ['file:///etc/passwd', 'file: URLs are not read (http and https only)'],
    ['javascript:alert(1)', 'javascript: URLs are not read (http and https only)'],
    ['http://[bad', '"http://[bad" is not a valid URL'],
    ['0', '0 in "0" is not a change or patch set number'],
    ['271726,0', '0 in "271726,0" is not a change or patch set number'],
    ['99999999999', '99999999999 in "99999999999" is not a change or patch set number'],
    [`https://logs.example.org/${'a'.repeat(2048)}`, 'the input is longer than 2,048 characters'],
  ])('refuses %j', (text, why) => {
    const error = refusal(text);
    expect(error.code).toBe('BAD_ARGUMENT');
    expect(error.message).toBe(`${why}: expected ${UNDERSTOOD_FORMS}`);
  });
});
