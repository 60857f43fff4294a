/**
 * A deterministic, realistic Gerrit history for tests and benchmarks: the raw stream-events
 * JSON objects a server sends, and the REST `ChangeInfo`s
 * (`o=ALL_REVISIONS&o=MESSAGES&o=DETAILED_ACCOUNTS`) that tell the same story, so that a Gerrit
 * stand-in can serve both paths and a test can check that they agree.
 *
 * What happens to each change: 1–5 patch sets (about a third replaced within 3 h of their
 * creation, the rest 3 h to 2 days later); on each, every CI account reports with its own
 * probability — in its own style, with Zuul v3 and Jenkins sending a start notice first — unless
 * the next patch set comes first; some CI comments are not results at all (unparseable); the
 * owner writes `recheck` after some failures of the first CI, which then reports again; people
 * review; then the change is merged (a Zuul v3 CI reports the gate pipeline and submits), or
 * abandoned (a few later restored), or left open. Stream-events also carries `reviewer-added` and
 * `ref-updated` events, which REST does not show.
 *
 * Times: changes are created evenly over `[start, start + spanSeconds)`; what follows a change's
 * creation may come after the span. A comment's REST `date` is up to 0.9 s after the stream's
 * `eventCreatedOn`, as on a real server. Same options, same history, byte for byte.
 */
import {
  recheckBodies,
  reportBody,
  reviewBodies,
  startNotice,
  unparseableBodies,
  type CommentStyle,
  type GeneratedBuild,
} from './gerrit-comments.js';
import { HistoryRecorder } from './gerrit-history-recorder.js';
import {
  changeInfo,
  type AccountInfo,
  type ChangeInfo,
  type ChangeRecord,
} from './gerrit-history-rest.js';

export type { CommentStyle } from './gerrit-comments.js';
export type { AccountInfo, ChangeInfo, MessageInfo, RevisionInfo } from './gerrit-history-rest.js';

/** A CI account of the generated history. */
export interface CiSpec {
  readonly username: string;
  readonly name: string;
  readonly style: CommentStyle;
  /** Chance that it reports on a patch set at all (default 0.9). */
  readonly reportRate?: number;
  /** Chance that a voting job fails (default 0.08). */
  readonly jobFailureRate?: number;
  /** Chance that one of its comments is no result (default 0). */
  readonly unparseableRate?: number;
  /** Jobs it runs (default 4). */
  readonly jobs?: number;
}

export interface HistoryOptions {
  /** PRNG seed: the same seed gives the same history. */
  readonly seed: number;
  /** How many changes; each makes about 18 stream events on average with the default CIs. */
  readonly changes: number;
  /** Project names, or how many (`project-0`, …); default 3. */
  readonly projects?: number | readonly string[];
  /** CI accounts; default {@link defaultCis}. */
  readonly cis?: readonly CiSpec[];
  /** When the first change is created: epoch seconds or a Date. */
  readonly start: number | Date;
  /** The span over which changes are created, seconds. */
  readonly spanSeconds: number;
  /**
   * Stream events as Gerrit 2.8 sent them: numbers as strings, `VRIF`/`CRVW`/`APRV` labels,
   * comments without their `Patch Set N:` header, approvals only for the votes that changed
   * (REST is the same either way). Default false.
   */
  readonly legacy?: boolean;
}

export interface GerritHistory {
  /**
   * Raw stream-events objects in the order the stream sends them (by `eventCreatedOn`). Events
   * of one change share their `change`, `patchSet` and account objects: treat them as read-only.
   */
  readonly events: object[];
  /**
   * The REST form of every change, by change number (built on each call); with `asOf` (epoch
   * seconds), as REST would have answered once the stream had sent every event of that second
   * or before: a Gerrit stand-in that replays the stream serves this for its catch-up.
   */
  changes(asOf?: number): ChangeInfo[];
}

export const defaultCis: readonly CiSpec[] = [
  { username: 'zuul', name: 'Zuul', style: 'zuul-v3', reportRate: 0.97, jobs: 6 },
  { username: 'acme-ci', name: 'Acme CI', style: 'zuul-v2', reportRate: 0.85 },
  {
    username: 'storage-jenkins',
    name: 'Storage Jenkins',
    style: 'jenkins',
    reportRate: 0.7,
    jobs: 2,
  },
  {
    username: 'vendor-nsx-ci',
    name: 'Vendor NSX CI',
    style: 'third-party',
    reportRate: 0.6,
    jobFailureRate: 0.2,
    unparseableRate: 0.1,
  },
];

const ZUUL_FAILURES = ['FAILURE', 'FAILURE', 'POST_FAILURE', 'TIMED_OUT'];
const JOB_NAMES = [
  'pep8',
  'py311',
  'py312',
  'docs',
  'tempest-full',
  'grenade',
  'functional',
  'cover',
];
const HUMANS = 40;
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** mulberry32: small, fast, and the same sequence for the same seed everywhere. */
function prng(seed: number): () => number {
  let a = seed | 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Generates a history; see the module documentation. */
export function generateHistory(options: HistoryOptions): GerritHistory {
  return new HistoryBuilder(options).build();
}

type Ci = CiSpec & { readonly account: AccountInfo; readonly jobNames: readonly string[] };

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

class HistoryBuilder {
  private readonly random: () => number;
  private readonly recorder: HistoryRecorder;
  private readonly projects: readonly string[];
  private readonly cis: readonly Ci[];
  private readonly gate: Ci | undefined;
  private readonly humans: AccountInfo[];

  constructor(private readonly options: HistoryOptions) {
    const random = prng(options.seed);
    this.random = random;
    this.recorder = new HistoryRecorder(options.legacy === true, () => Math.floor(random() * 900));
    const projects = options.projects ?? 3;
    this.projects =
      typeof projects === 'number'
        ? Array.from({ length: projects }, (_, i) => `project-${i}`)
        : projects;
    this.humans = Array.from({ length: HUMANS }, (_, i) => ({
      _account_id: 1000 + i,
      name: `Developer ${i}`,
      email: `dev${i}@example.org`,
      username: `dev${i}`,
    }));
    this.cis = (options.cis ?? defaultCis).map((ci, i) => ({
      ...ci,
      account: {
        _account_id: 9000 + i,
        name: ci.name,
        email: `${ci.username}@ci.example.org`,
        username: ci.username,
      },
      jobNames: JOB_NAMES.slice(0, ci.jobs ?? 4).map((job) => `${ci.username}-${job}`),
    }));
    this.gate = this.cis.find((ci) => ci.style === 'zuul-v3');
  }

  build(): GerritHistory {
    const { changes, spanSeconds, start } = this.options;
    const startMs = typeof start === 'number' ? start * 1000 : start.getTime();
    const spacing = (spanSeconds * 1000) / Math.max(1, changes);
    for (let i = 0; i < changes; i++) {
      this.change(10_000 + i, Math.floor(startMs + i * spacing + this.random() * spacing));
    }
    const events = this.recorder.events();
    const records = this.recorder.records;
    return {
      events,
      changes: (asOf) => {
        const asOfMs = asOf === undefined ? Infinity : asOf * 1000 + 999;
        return records.flatMap((record) => changeInfo(record, asOfMs) ?? []);
      },
    };
  }

  private pick<T>(list: readonly T[]): T {
    return list[Math.floor(this.random() * list.length)]!;
  }

  private chance(p: number): boolean {
    return this.random() < p;
  }

  private between(low: number, high: number): number {
    return Math.floor(low + this.random() * (high - low));
  }

  private hex(bytes: number): string {
    let out = '';
    for (let i = 0; i < bytes; i++) out += HEX[Math.floor(this.random() * 256)];
    return out;
  }

  private change(number: number, createdMs: number): void {
    const record: ChangeRecord = {
      number,
      project: this.pick(this.projects),
      branch: this.chance(0.9) ? 'master' : 'stable/2026.1',
      changeId: `I${this.hex(20)}`,
      subject: `${this.pick(SUBJECT_VERBS)} ${this.pick(SUBJECT_OBJECTS)}`,
      owner: this.pick(this.humans),
      createdMs,
      revisions: [],
      messages: [],
      status: 'NEW',
    };
    this.recorder.open(record);
    const patchSets = 1 + Math.floor(this.random() ** 1.6 * 5);
    let at = createdMs;
    let lastActivity = at;
    for (let ps = 1; ps <= patchSets; ps++) {
      const next =
        ps === patchSets
          ? Infinity
          : at +
            (this.chance(0.35)
              ? this.between(5 * MINUTE, 3 * HOUR)
              : this.between(3 * HOUR, 48 * HOUR));
      this.patchSet(record, ps, at);
      if (ps === 1 && this.chance(0.3)) {
        const reviewer = this.recorder.account(this.pick(this.humans));
        this.recorder.stream(record, ps, at + 1000, 'reviewer-added', { reviewer });
      }
      lastActivity = Math.max(lastActivity, this.ciRound(record, ps, at, next));
      if (ps < patchSets && this.chance(0.4)) {
        const review = this.pick(reviewBodies);
        const reviewAt = at + this.between(10 * MINUTE, 20 * HOUR);
        if (reviewAt < next) {
          this.recorder.comment(record, ps, reviewAt, this.pick(this.humans), review.text, [
            ['Code-Review', review.codeReview],
          ]);
        }
      }
      at = next;
    }
    this.ending(record, patchSets, lastActivity);
  }

  /** Every CI's check run on a patch set; returns the time of the last report. */
  private ciRound(record: ChangeRecord, ps: number, createdMs: number, nextMs: number): number {
    let last = createdMs;
    this.cis.forEach((ci, index) => {
      if (!this.chance(ci.reportRate ?? 0.9)) return;
      const startedMs = createdMs + this.between(10_000, 2 * MINUTE);
      const reportMs = startedMs + this.between(5 * MINUTE, 90 * MINUTE);
      // A CI whose run the next patch set overtakes never reports on this one.
      if (reportMs >= nextMs) return;
      this.notice(record, ps, ci, startedMs, 'check');
      const success = this.report(record, ps, ci, reportMs, 'check');
      last = Math.max(last, reportMs);
      if (index !== 0 || success || !this.chance(0.5)) return;
      const recheckMs = reportMs + this.between(2 * MINUTE, 30 * MINUTE);
      const againMs = recheckMs + this.between(5 * MINUTE, 90 * MINUTE);
      if (againMs >= nextMs) return;
      this.recorder.comment(record, ps, recheckMs, record.owner, this.pick(recheckBodies), []);
      this.notice(record, ps, ci, recheckMs + 20_000, 'check');
      this.report(record, ps, ci, againMs, 'check');
      last = Math.max(last, againMs);
    });
    return last;
  }

  private notice(record: ChangeRecord, ps: number, ci: Ci, ms: number, pipeline: string): void {
    const jenkinsUrl = `https://jenkins.example.org/job/${ci.jobNames[0]}/${ps}/`;
    const text = startNotice(ci.style, pipeline, jenkinsUrl);
    if (text !== null)
      this.recorder.comment(record, ps, ms, ci.account, text, [], zuulTag(ci, pipeline));
  }

  /** A CI's result comment (or, by its `unparseableRate`, one that is none); its success. */
  private report(record: ChangeRecord, ps: number, ci: Ci, ms: number, pipeline: string): boolean {
    const tag = zuulTag(ci, pipeline);
    if (this.chance(ci.unparseableRate ?? 0)) {
      this.recorder.comment(record, ps, ms, ci.account, this.pick(unparseableBodies), [], tag);
      return true;
    }
    const last = ci.jobNames.length - 1;
    const builds: GeneratedBuild[] = ci.jobNames.map((job, i) => {
      const failed = this.chance(ci.jobFailureRate ?? 0.08);
      return {
        job,
        voting: ci.style === 'jenkins' || last < 2 || i < last,
        result: !failed ? 'SUCCESS' : ci.style === 'jenkins' ? 'FAILURE' : this.pick(ZUUL_FAILURES),
        seconds: this.between(20, 80 * 60),
        uuid: this.hex(6),
        number: this.between(1, 5000),
      };
    });
    const success = builds.every((build) => !build.voting || build.result === 'SUCCESS');
    const body = reportBody({
      style: ci.style,
      ciName: ci.name,
      pipeline,
      change: record.number,
      patchSet: ps,
      success,
      builds,
    });
    const vote = (pipeline === 'gate' ? 2 : 1) * (success ? 1 : -1);
    this.recorder.comment(record, ps, ms, ci.account, body, [['Verified', vote]], tag);
    return success;
  }

  /** Merged (after the gate, when a Zuul v3 CI runs one), abandoned (some restored), or open. */
  private ending(record: ChangeRecord, ps: number, afterMs: number): void {
    const roll = this.random();
    const at = afterMs + this.between(10 * MINUTE, 5 * HOUR);
    if (roll < 0.6) {
      const core = this.pick(this.humans);
      this.recorder.comment(record, ps, at, core, 'Looks good, approving.', [
        ['Code-Review', 2],
        ['Workflow', 1],
      ]);
      let submitMs = at + 5000;
      let submitter = core;
      if (this.gate) {
        this.notice(record, ps, this.gate, at + 30_000, 'gate');
        const reportMs = at + this.between(10 * MINUTE, 60 * MINUTE);
        if (!this.report(record, ps, this.gate, reportMs, 'gate')) return;
        submitMs = reportMs + 2000;
        submitter = this.gate.account;
      }
      record.status = 'MERGED';
      record.submitter = submitter;
      const newRev = record.revisions[ps - 1]!.sha;
      this.recorder.generated(
        record,
        ps,
        submitMs,
        submitter,
        `Change has been successfully merged by ${submitter.name}`,
        'merged',
      );
      this.recorder.stream(record, ps, submitMs, 'change-merged', {
        submitter: this.recorder.account(submitter),
        newRev,
      });
      this.recorder.push(submitMs + 1, {
        type: 'ref-updated',
        submitter: this.recorder.account(submitter),
        refUpdate: {
          oldRev: this.hex(20),
          newRev,
          refName: `refs/heads/${record.branch}`,
          project: record.project,
        },
        eventCreatedOn: Math.floor((submitMs + 1) / 1000),
      });
    } else if (roll < 0.75) {
      const reason = 'No longer needed.';
      record.status = 'ABANDONED';
      this.recorder.generated(record, ps, at, record.owner, `Abandoned\n\n${reason}`, 'abandon');
      this.recorder.stream(record, ps, at, 'change-abandoned', {
        abandoner: this.recorder.account(record.owner),
        reason,
      });
      if (!this.chance(0.2)) return;
      const restoredMs = at + this.between(HOUR, 48 * HOUR);
      record.status = 'NEW';
      this.recorder.generated(record, ps, restoredMs, record.owner, 'Restored', 'restore');
      this.recorder.stream(record, ps, restoredMs, 'change-restored', {
        restorer: this.recorder.account(record.owner),
      });
    }
  }

  private patchSet(record: ChangeRecord, ps: number, ms: number): void {
    const kind = ps === 1 ? 'REWORK' : this.pick(PATCH_SET_KINDS);
    this.recorder.patchSet(record, ps, ms, kind, this.hex(20));
  }
}

const SUBJECT_VERBS = ['Fix', 'Add', 'Refactor', 'Document', 'Speed up'];
const SUBJECT_OBJECTS = ['the cache', 'logging', 'the API', 'retries', 'the scheduler'];
const PATCH_SET_KINDS = ['REWORK', 'REWORK', 'TRIVIAL_REBASE', 'NO_CODE_CHANGE'];

function zuulTag(ci: Ci, pipeline: string): string | undefined {
  return ci.style === 'zuul-v3' ? `autogenerated:zuul:${pipeline}` : undefined;
}
