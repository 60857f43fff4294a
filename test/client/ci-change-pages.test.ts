/**
 * The CI and change pages' logic without a browser: the jobs table's order (unstable first by
 * default, any column either way, unknowns last), the URL's sort, the reports chart's columns,
 * verdict symbols, Gerrit links, and a change's patch sets and reports as the page lays them.
 */
import { describe, expect, it } from 'vitest';
import { bucketStarts } from '../../client/src/lib/buckets.js';
import { gerritChangeUrl, serverUrls } from '../../client/src/lib/gerrit-links.js';
import { nextSort } from '../../client/src/lib/test-list.js';
import { formatVote, REPORT_VERDICTS, verdictLook } from '../../client/src/lib/verdicts.js';
import { VERDICT_SYMBOLS } from '../../server/cli/status-matrix.js';
import { newestFirst, reportsByCi } from '../../client/src/pages/change/change-page.js';
import {
  DEFAULT_JOB_SORT,
  defaultJobOrder,
  parseJobSort,
  reportColumns,
  sortJobs,
} from '../../client/src/pages/ci/ci-page.js';
import type { ChangePatchSet, ChangeReport } from '../../client/src/documents/change.js';
import type { CiJob } from '../../client/src/documents/ci.js';

const job = (name: string, builds: number, failures: number, flips: number): CiJob => ({
  job: name,
  builds,
  failures,
  failureRate: builds === 0 ? null : failures / builds,
  flips,
  lastResult: builds === 0 ? null : failures > 0 ? 'FAILURE' : 'SUCCESS',
  lastAt: builds === 0 ? null : '2026-05-13T10:00:00.000Z',
});

const JOBS = [
  job('lint', 10, 0, 0),
  job('unit', 10, 5, 3),
  job('tempest', 8, 3, 3),
  job('docs', 4, 2, 0),
  job('never', 0, 0, 0),
];
const names = (jobs: CiJob[]) => jobs.map((j) => j.job);

describe('the CI jobs table', () => {
  it('puts the unstable jobs first: flips, then failure rate', () => {
    expect(DEFAULT_JOB_SORT).toEqual({ key: 'flips', order: 'desc' });
    expect(names(sortJobs(JOBS, DEFAULT_JOB_SORT))).toEqual([
      'unit',
      'tempest',
      'docs',
      'lint',
      'never',
    ]);
  });

  it('sorts by any column either way, keeping jobs without a figure last', () => {
    expect(names(sortJobs(JOBS, { key: 'job', order: 'asc' }))).toEqual([
      'docs',
      'lint',
      'never',
      'tempest',
      'unit',
    ]);
    // unit and docs fail as often: the one that flips comes first.
    expect(names(sortJobs(JOBS, { key: 'failureRate', order: 'asc' }))).toEqual([
      'lint',
      'tempest',
      'unit',
      'docs',
      'never',
    ]);
    expect(names(sortJobs(JOBS, { key: 'builds', order: 'desc' }))).toEqual([
      'unit',
      'lint',
      'tempest',
      'docs',
      'never',
    ]);
    expect(names(sortJobs(JOBS, { key: 'lastResult', order: 'desc' })).at(-1)).toBe('never');
  });

  it('reads its order from the URL and clicks on headers', () => {
    expect(parseJobSort('failureRate', 'asc')).toEqual({ key: 'failureRate', order: 'asc' });
    expect(parseJobSort('job', '')).toEqual({ key: 'job', order: 'asc' });
    expect(parseJobSort('nonsense', 'asc')).toEqual(DEFAULT_JOB_SORT);
    expect(nextSort(DEFAULT_JOB_SORT, 'flips', defaultJobOrder)).toEqual({
      key: 'flips',
      order: 'asc',
    });
    expect(nextSort(DEFAULT_JOB_SORT, 'job', defaultJobOrder)).toEqual({
      key: 'job',
      order: 'asc',
    });
    expect(nextSort(DEFAULT_JOB_SORT, 'builds', defaultJobOrder)).toEqual({
      key: 'builds',
      order: 'desc',
    });
  });
});

describe('the reports chart', () => {
  it('lays the buckets on every bucket of the window, zeros where none', () => {
    const starts = bucketStarts(
      new Date('2026-05-10T12:30:00Z'),
      new Date('2026-05-13T12:30:00Z'),
      'DAY',
    );
    const columns = reportColumns(
      [{ start: '2026-05-12T00:00:00.000Z', reports: 3, successes: 2, failures: 1 }],
      starts,
    );
    expect(columns[0]).toEqual(starts.map((s) => s.getTime() / 1000));
    expect(columns[1]).toEqual([0, 0, 2, 0]);
    expect(columns[2]).toEqual([0, 0, 1, 0]);
  });
});

describe('verdicts and links', () => {
  it('gives each verdict a distinct symbol and word', () => {
    const verdicts = [...REPORT_VERDICTS, null];
    const looks = verdicts.map(verdictLook);
    expect(new Set(looks.map((l) => l.symbol)).size).toBe(verdicts.length);
    expect(looks.slice(0, 3).map((l) => l.symbol)).toEqual(['✓', '✗', '⚠']);
    expect(verdictLook('NODE_LOST')).toEqual({ symbol: '•', label: 'NODE_LOST', tone: 'other' });
    // What broke around the tests is not the tests' failure; the CI's word is kept, any case.
    expect(['POST_FAILURE', 'TIMED_OUT', 'RETRY_LIMIT'].map((r) => verdictLook(r).tone)).toEqual([
      'error',
      'error',
      'error',
    ]);
    expect(verdictLook('POST_FAILURE').symbol).not.toBe(verdictLook('FAILURE').symbol);
    expect(verdictLook('success')).toEqual({ symbol: '✓', label: 'success', tone: 'pass' });
    expect(verdictLook('SKIPPED').tone).toBe('other');
    // `gatewatch status --matrix` draws the same symbols in a terminal.
    expect(VERDICT_SYMBOLS.map(([verdict]) => [verdict, verdictLook(verdict).symbol])).toEqual(
      VERDICT_SYMBOLS,
    );
    expect(VERDICT_SYMBOLS.map(([verdict]) => verdict)).toEqual([...REPORT_VERDICTS]);
    expect([1, -1, 0, null].map(formatVote)).toEqual(['+1', '-1', '0', '–']);
  });

  it('links changes and patch sets into Gerrit', () => {
    const urls = serverUrls([{ name: 'review', url: 'https://review.example.org/' }]);
    expect(gerritChangeUrl(urls.get('review'), 'openstack/nova', 912345, 3)).toBe(
      'https://review.example.org/c/openstack/nova/+/912345/3',
    );
    expect(gerritChangeUrl(urls.get('review'), 'a b/c', 7)).toBe(
      'https://review.example.org/c/a%20b/c/+/7',
    );
    expect(gerritChangeUrl(urls.get('elsewhere'), 'x', 1)).toBeNull();
  });
});

const ci = (account: string, name: string, upstream = false) => ({ ci: account, name, upstream });
const report = (id: string, who: ReturnType<typeof ci>, at: string): ChangeReport => ({
  id,
  createdAt: at,
  pipeline: 'check',
  verdict: 'SUCCESS',
  vote: 1,
  ci: who,
  builds: [],
});
const patchSet = (number: number, reports: ChangeReport[]): ChangePatchSet => ({
  number,
  revision: null,
  createdAt: '2026-05-13T00:00:00.000Z',
  kind: 'REWORK',
  uploader: null,
  reports,
});

describe('the change page', () => {
  it('shows the patch sets newest first', () => {
    const sets = [patchSet(1, []), patchSet(3, []), patchSet(2, [])];
    expect(newestFirst(sets).map((p) => p.number)).toEqual([3, 2, 1]);
  });

  it('groups reports by CI, upstream first then by name, each oldest first', () => {
    const zuul = ci('zuul', 'Zuul', true);
    const acme = ci('acme-ci', 'ACME CI');
    const beta = ci('beta-ci', 'Beta CI');
    const groups = reportsByCi([
      report('1', beta, '2026-05-13T03:00:00.000Z'),
      report('2', acme, '2026-05-13T05:00:00.000Z'),
      report('3', zuul, '2026-05-13T04:00:00.000Z'),
      report('4', acme, '2026-05-13T02:00:00.000Z'),
    ]);
    expect(groups.map((g) => g.ci.ci)).toEqual(['zuul', 'acme-ci', 'beta-ci']);
    expect(groups[1]!.reports.map((r) => r.id)).toEqual(['4', '2']);
  });
});
