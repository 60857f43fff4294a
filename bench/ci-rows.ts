/**
 * The rows one CI report makes (its comment, the report, its builds, now and then a linked
 * run) with their ids assigned, and the tally of what was written, counted as the figures'
 * definitions count it (README "CI health figures"), so tests can compare.
 */
import { createHash } from 'node:crypto';
import { logKey } from '../server/cis/run-link.js';
import { logUrl, reportBody, type GeneratedBuild } from '../test/helpers/gerrit-comments.js';
import type { CiSpec } from './ci-model.js';

export const COLUMNS = {
  gerrit_changes:
    'id server_id number project_id branch subject owner_id status status_at created_at updated_at',
  gerrit_patch_sets:
    'id change_id project_id number revision created_at uploader_id kind superseded_at merged_at abandoned_at',
  gerrit_state_changes: 'id change_id patch_set_id type created_at',
  gerrit_comments: 'id patch_set_id author_id created_at digest kind message source',
  ci_reports: 'id comment_id patch_set_id project_id ci_id pipeline verdict vote created_at',
  runs: 'id uuid run_at ingested_at build_name format tests passes failures skips xfails uxsuccesses incomplete parse_errors workers wall_time summed_time start_us stop_us artifacts_url digest change_number patchset build_uuid project pipeline branch',
  run_log_keys: 'run_id log_key',
  ci_builds: 'id report_id job log_url log_key result detail duration voting run_id',
} as const;
export type Table = keyof typeof COLUMNS;
/** The order foreign keys allow. */
export const TABLES = Object.keys(COLUMNS) as Table[];
/** Rows per table; datetimes as Date. */
export type Batch = Record<Table, unknown[][]>;

const MINUTE_MS = 60_000;
/** Every this many upstream reports, the first build gets an ingested run. */
const RUN_EVERY = 200;
const UPSTREAM_FAILURES = [
  'FAILURE',
  'FAILURE',
  'FAILURE',
  'TIMED_OUT',
  'POST_FAILURE',
  'NODE_FAILURE',
];
const MERGE_FAILED =
  'Merge Failed.\n\nThis change or one of its cross-repo dependencies was unable to be ' +
  'automatically merged with the current state of its repository. Please rebase the change ' +
  'and upload a new patchset.';

/** What the generator wrote for one CI, counted as the figures define them over the whole history. */
export interface CiTally {
  reports: number;
  builds: number;
  successes: number;
  verdicts: number;
  unparsed: number;
  firstReport: number | null;
  lastReport: number | null;
  /** Projects it reported on. */
  projects: Set<number>;
  /** Eligible patch sets it reported on. */
  reportedEligible: number;
}

export interface PatchSetRef {
  id: number;
  number: number;
  changeNumber: number;
  project: number;
  createdAt: number;
  broken: boolean;
  owner: number;
  branch: string;
  eligible: boolean;
  /** The CIs that reported on it. */
  reporters: Set<number>;
}

/** Writes into `batch` (replaced by the story each day); ids run on across batches. */
export class ReportRows {
  batch: Batch = emptyBatch();
  readonly tallies: CiTally[];
  private readonly ids = { comment: 0, report: 0, build: 0, run: 0, jenkins: 0 };
  private upstreamReports = 0;

  constructor(
    private readonly rand: () => number,
    private readonly cis: readonly CiSpec[],
    private readonly projects: readonly string[],
  ) {
    this.tallies = cis.map(() => ({
      reports: 0,
      builds: 0,
      successes: 0,
      verdicts: 0,
      unparsed: 0,
      firstReport: null,
      lastReport: null,
      projects: new Set<number>(),
      reportedEligible: 0,
    }));
  }

  /** One report with its comment and builds; answers its verdict. */
  report(ci: CiSpec, ps: PatchSetRef, at: number, pipeline: string): string {
    const r = this.rand;
    const gate = pipeline === 'gate';
    const builds: GeneratedBuild[] = [];
    let verdict = 'MERGE_FAILED';
    if (!ci.upstream || gate || r() >= 0.005) {
      for (const job of ci.jobs) {
        if (gate && !job.voting) continue;
        const failed = !gate && (r() < job.flaky || (ps.broken && r() < job.sensitive));
        const result = !failed
          ? 'SUCCESS'
          : ci.upstream
            ? UPSTREAM_FAILURES[Math.floor(r() * UPSTREAM_FAILURES.length)]!
            : r() < 0.1
              ? 'ERROR'
              : 'FAILURE';
        const seconds = Math.round(job.seconds * (0.8 + r() * 0.5));
        builds.push({
          job: job.name,
          result,
          seconds,
          voting: job.voting,
          uuid: this.hex(),
          number: ++this.ids.jenkins,
        });
      }
      verdict = builds.some((b) => b.voting && b.result !== 'SUCCESS') ? 'FAILURE' : 'SUCCESS';
    }
    const vote = !ci.votes ? null : gate ? 2 : verdict === 'SUCCESS' ? 1 : -1;
    const text = {
      style: ci.style,
      ciName: ci.name,
      pipeline,
      change: ps.changeNumber,
      patchSet: ps.number,
      success: verdict === 'SUCCESS',
      builds,
    };
    const body = verdict === 'MERGE_FAILED' ? MERGE_FAILED : reportBody(text);
    const commentId = this.comment(ps, ciAccountId(ci.index), at, 'report', body, vote);
    const reportId = ++this.ids.report;
    this.batch.ci_reports.push([
      reportId,
      commentId,
      ps.id,
      ps.project + 1,
      ciAccountId(ci.index),
      pipeline,
      verdict,
      vote,
      new Date(at),
    ]);
    const linked = ci.upstream && builds.length > 0 && ++this.upstreamReports % RUN_EVERY === 0;
    builds.forEach((build, k) => {
      const url = logUrl(text, build);
      const runId = linked && k === 0 ? this.run(ps, build, url, at, pipeline) : null;
      this.batch.ci_builds.push([
        ++this.ids.build,
        reportId,
        build.job,
        url,
        logKey(url),
        build.result,
        null,
        build.seconds,
        build.voting ? 1 : 0,
        runId,
      ]);
    });
    const tally = this.tallies[ci.index]!;
    tally.reports++;
    tally.builds += builds.length;
    tally.verdicts++;
    if (verdict === 'SUCCESS') tally.successes++;
    tally.firstReport = Math.min(tally.firstReport ?? at, at);
    tally.lastReport = Math.max(tally.lastReport ?? at, at);
    tally.projects.add(ps.project);
    ps.reporters.add(ci.index);
    return verdict;
  }

  comment(
    ps: PatchSetRef,
    author: number,
    at: number,
    kind: string,
    body: string,
    vote: number | null = null,
  ): number {
    const id = ++this.ids.comment;
    const header = `Patch Set ${ps.number}:${vote === null ? '' : ` Verified${vote > 0 ? '+' : ''}${vote}`}`;
    const digest = createHash('sha256').update(body).digest('hex');
    this.batch.gerrit_comments.push([
      id,
      ps.id,
      author,
      new Date(at),
      digest,
      kind,
      `${header}\n\n${body}`,
      'stream',
    ]);
    return id;
  }

  /** An ingested run for a build: counts only (its results are not generated). */
  private run(
    ps: PatchSetRef,
    build: GeneratedBuild,
    url: string,
    reportAt: number,
    pipeline: string,
  ): number {
    const id = ++this.ids.run;
    const runAt = reportAt - build.seconds * 1000;
    const tests = 1200 + (id % 7) * 50;
    const failures = build.result === 'SUCCESS' ? 0 : 1 + (id % 5);
    const uuid = this.hex();
    this.batch.runs.push([
      id,
      `${uuid.slice(0, 8)}-${uuid.slice(8, 12)}-4${uuid.slice(13, 16)}-8${uuid.slice(17, 20)}-${uuid.slice(20, 32)}`,
      new Date(runAt),
      new Date(reportAt + MINUTE_MS),
      build.job,
      'v2',
      tests,
      tests - failures - 40,
      failures,
      40,
      0,
      0,
      0,
      0,
      4,
      build.seconds,
      build.seconds * 3.5,
      runAt * 1000,
      (runAt + build.seconds * 1000) * 1000,
      url,
      null,
      ps.changeNumber,
      ps.number,
      build.uuid,
      this.projects[ps.project],
      pipeline,
      ps.branch,
    ]);
    this.batch.run_log_keys.push([id, logKey(url)]);
    return id;
  }

  hex(): string {
    let out = '';
    for (let i = 0; i < 4; i++)
      out += Math.floor(this.rand() * 2 ** 32)
        .toString(16)
        .padStart(8, '0');
    return out;
  }
}

/** Account row id of CI `i`, also its ci_systems id; people's accounts follow the CIs'. */
export function ciAccountId(i: number): number {
  return i + 1;
}

export function emptyBatch(): Batch {
  return Object.fromEntries(TABLES.map((t) => [t, []])) as unknown as Batch;
}
