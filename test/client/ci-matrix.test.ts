/**
 * The CI matrix's logic without a browser: how verdicts read (never by colour alone), what a
 * cell says on hover, which columns the chosen CIs leave, the upstream highlight, the CI
 * windows as the URL keeps them.
 */
import { describe, expect, it } from 'vitest';
import {
  ciWindowOf,
  ciWindowParams,
  CI_WINDOWS,
  parseInstant,
} from '../../client/src/lib/ci-window.js';
import {
  appendPage,
  cellOf,
  cellTitle,
  changeTitle,
  formatCis,
  LEGEND,
  lookOf,
  mergeFirstPage,
  parseCis,
  patchSetLabel,
  shownColumns,
  toggleCi,
  upstreamMark,
} from '../../client/src/pages/ci-matrix/matrix.js';
import type { MatrixCell, MatrixCi, MatrixRow } from '../../client/src/documents/matrix.js';
import { hrefOf } from '../../client/src/lib/route.js';
import { NOT_REPORTED, REPORT_VERDICTS } from '../../client/src/lib/verdicts.js';

const ZUUL: MatrixCi = { ci: 'zuul', name: 'Zuul', upstream: true };
const ACME: MatrixCi = { ci: 'acme-ci', name: 'Acme CI', upstream: false };
const ODD: MatrixCi = { ci: 'email:odd,ci@example.org', name: 'Odd CI', upstream: false };

const cell = (
  ci: string,
  verdict: string | null,
  vote: number | null,
  builds: [string, string, boolean][] = [],
  reports = 1,
): MatrixCell => ({
  ci,
  reports,
  latest: {
    id: `${ci}-r`,
    verdict,
    vote,
    createdAt: '2026-05-13T10:00:00.000Z',
    builds: builds.map(([job, result, voting]) => ({
      job,
      result,
      voting,
      logUrl: `https://logs.example.org/${job}/`,
    })),
  },
});
const missing = (ci: string): MatrixCell => ({ ci, reports: 0, latest: null });
const row = (
  cells: MatrixCell[],
  change = 10001,
  createdAt = '2026-05-13T09:00:00.000Z',
): MatrixRow => ({
  patchSet: {
    number: 2,
    changeNumber: change,
    createdAt,
    commitMessage: 'Fix the cache\n\nIt kept stale entries.\n\nChange-Id: I0123\n',
    change: { subject: 'Fix the cache', owner: { key: 'dev1', name: 'Developer 1' } },
  },
  cells,
});

describe('the CI matrix', () => {
  it('gives every verdict its own symbol and words, and a legend of them all', () => {
    const symbols = LEGEND.map((look) => look.symbol);
    expect(new Set(symbols).size).toBe(symbols.length);
    expect(lookOf(cell('zuul', 'SUCCESS', 1)).symbol).toBe('✓');
    expect(lookOf(cell('zuul', 'FAILURE', -1)).symbol).toBe('✗');
    expect(lookOf(cell('zuul', 'UNSTABLE', 0)).symbol).toBe('⚠');
    expect(lookOf(missing('zuul'))).toBe(NOT_REPORTED);
    expect(lookOf(cell('zuul', null, null)).label).toBe('no verdict');
    // A result the legend does not list still says what it is.
    expect(lookOf(cell('zuul', 'NODE_LOST', -1)).label).toBe('NODE_LOST');
    for (const verdict of REPORT_VERDICTS) {
      expect(LEGEND.map((l) => l.label)).toContain(verdict);
    }
  });

  it('lists the jobs and their results on hover', () => {
    const c = cell(
      'acme-ci',
      'FAILURE',
      -1,
      [
        ['acme-tempest', 'FAILURE', true],
        ['acme-pep8', 'SUCCESS', false],
      ],
      2,
    );
    expect(cellTitle(ACME, c)).toBe(
      [
        'Acme CI: FAILURE (Verified -1), newest of 2 reports',
        'acme-tempest: FAILURE',
        'acme-pep8: SUCCESS (non-voting)',
      ].join('\n'),
    );
    expect(cellTitle(ACME, missing('acme-ci'))).toBe('Acme CI: not reported');
    expect(cellTitle(ACME, cell('acme-ci', 'SUCCESS', null))).toBe('Acme CI: SUCCESS');
  });

  it('keeps the chosen CIs in the URL, commas in account keys included', () => {
    const chosen = ['zuul', ODD.ci];
    expect(parseCis(formatCis(chosen))).toEqual(chosen);
    expect(parseCis('')).toEqual([]);
    expect(parseCis('zuul,zuul,')).toEqual(['zuul']);
  });

  it('shows every CI until some are unticked, in the matrix order', () => {
    const all = [ZUUL, ACME, ODD];
    expect(shownColumns(all, [])).toEqual([0, 1, 2]);
    const withoutAcme = toggleCi(all, [], 'acme-ci');
    expect(withoutAcme).toEqual(['zuul', ODD.ci]);
    expect(shownColumns(all, withoutAcme)).toEqual([0, 2]);
    // Ticked again, every CI is shown, and the URL names none.
    expect(toggleCi(all, withoutAcme, 'acme-ci')).toEqual([]);
    expect(toggleCi(all, ['acme-ci'], 'zuul')).toEqual(['zuul', 'acme-ci']);
  });

  it("colours a line by the upstream CI's vote, else its verdict, whatever the others said", () => {
    const cis = [ZUUL, ACME];
    const mark = (cells: MatrixCell[]) => upstreamMark(cis, row(cells));
    expect(mark([cell('zuul', 'SUCCESS', 1), cell('acme-ci', 'FAILURE', -1)])).toEqual({
      tone: 'pass',
      text: '+1',
    });
    expect(mark([cell('zuul', 'FAILURE', -2), cell('acme-ci', 'SUCCESS', 1)])).toEqual({
      tone: 'fail',
      text: '-2',
    });
    // A recheck's result that repeats the vote Gerrit kept carries none: its verdict tells.
    expect(mark([cell('zuul', 'FAILURE', null), missing('acme-ci')])).toEqual({
      tone: 'fail',
      text: 'FAILURE',
    });
    expect(mark([missing('zuul'), cell('acme-ci', 'SUCCESS', 1)])).toBeNull();
    expect(mark([cell('zuul', null, 0), missing('acme-ci')])).toBeNull();
    expect(upstreamMark([ACME], row([cell('acme-ci', 'SUCCESS', 1)]))).toBeNull();
  });

  it('finds a cell by its CI, a column the line was loaded without included', () => {
    const line = row([cell('zuul', 'SUCCESS', 1)]);
    expect(cellOf(line, ZUUL).latest?.verdict).toBe('SUCCESS');
    expect(cellOf(line, ACME)).toEqual({ ci: 'acme-ci', reports: 0, latest: null });
  });

  it('merges the first page asked again over the lines loaded, and appends the next', () => {
    const at = (hour: number) => `2026-05-13T${String(hour).padStart(2, '0')}:00:00.000Z`;
    const loaded = [row([], 3, at(9)), row([], 2, at(8)), row([], 1, at(7))];
    // A new patch set on top; line 3 now has a report; the first page no longer reaches line 1.
    const first = [
      row([], 4, at(10)),
      row([cell('zuul', 'FAILURE', -1)], 3, at(9)),
      row([], 2, at(8)),
    ];
    const merged = mergeFirstPage(loaded, first);
    expect(merged.map(patchSetLabel)).toEqual(['4,2', '3,2', '2,2', '1,2']);
    expect(merged[1]!.cells).toHaveLength(1);
    expect(appendPage(merged, [row([], 1, at(7)), row([], 0, at(6))]).map(patchSetLabel)).toEqual([
      '4,2',
      '3,2',
      '2,2',
      '1,2',
      '0,2',
    ]);
  });

  it('tells a change by its subject and commit message on hover', () => {
    const line = row([]);
    expect(changeTitle(line)).toBe(
      'Fix the cache (patch set 2)\n\nFix the cache\n\nIt kept stale entries.\n\nChange-Id: I0123',
    );
    expect(changeTitle({ ...line, patchSet: { ...line.patchSet, commitMessage: null } })).toBe(
      'Fix the cache (patch set 2)',
    );
  });

  it('links a CI by its account', () => {
    expect(hrefOf({ page: 'ci', account: 'email:odd,ci@example.org' })).toBe(
      '/cis/email%3Aodd%2Cci%40example.org',
    );
  });
});

describe('the CI windows', () => {
  const now = new Date('2026-05-13T12:30:00.000Z');
  const params = (values: Record<string, string>) => (name: string) => values[name] ?? '';

  it('ends a preset window now', () => {
    for (const [name, seconds] of Object.entries(CI_WINDOWS)) {
      expect(ciWindowOf(params({ window: name }), now, '24h')).toEqual({
        name,
        since: new Date(now.getTime() - seconds * 1000).toISOString(),
        until: now.toISOString(),
      });
    }
    expect(ciWindowOf(params({}), now, '7d').name).toBe('7d');
    expect(ciWindowOf(params({ window: '1y' }), now, '24h').name).toBe('24h');
  });

  it('reads a chosen range in UTC, and says why one cannot be used', () => {
    const range = ciWindowOf(
      params({ window: 'custom', since: '2026-05-01T08:00', until: '2026-05-03T00:00' }),
      now,
      '24h',
    );
    expect(range).toEqual({
      name: 'custom',
      since: '2026-05-01T08:00:00.000Z',
      until: '2026-05-03T00:00:00.000Z',
    });
    const backwards = ciWindowOf(
      params({ window: 'custom', since: '2026-05-03T00:00', until: '2026-05-01T00:00' }),
      now,
      '24h',
    );
    expect(backwards).toMatchObject({
      name: '24h',
      problem: 'The chosen range ends before it starts.',
    });
    expect(ciWindowOf(params({ window: 'custom', since: 'x' }), now, '24h').problem).toMatch(
      /needs a start and an end/,
    );
    expect(
      ciWindowOf(
        params({ window: 'custom', since: '2025-01-01T00:00', until: '2026-01-01T00:00' }),
        now,
        '24h',
      ).problem,
    ).toMatch(/longer than 90 days/);
    expect(parseInstant('2026-02-30T00:00')).toBeNull();
  });

  it('writes a window back as URL parameters, the default left out', () => {
    expect(ciWindowParams({ name: '24h' }, '24h')).toEqual({
      window: null,
      since: null,
      until: null,
    });
    expect(ciWindowParams({ name: '48h' }, '24h')).toEqual({
      window: '48h',
      since: null,
      until: null,
    });
    expect(
      ciWindowParams(
        { name: 'custom', since: '2026-05-01T08:00:00.000Z', until: '2026-05-03T00:00:00.000Z' },
        '24h',
      ),
    ).toEqual({ window: 'custom', since: '2026-05-01T08:00', until: '2026-05-03T00:00' });
  });
});
