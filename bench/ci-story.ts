/**
 * The CI benchmark's history, one day of new changes at a time, as rows of the Gerrit and CI
 * tables with their ids assigned (so foreign keys are known without reading back). Each change
 * gets 1–5 patch sets (some replaced within 3 h, a few broken), reports from the CIs covering
 * its project after their own latency (never after the end, nor after a CI stopped), rechecks
 * after some upstream failures and the report again, a gate report when merged, merges and
 * abandonments; the reports' own rows are bench/ci-rows.ts.
 */
import { recheckBodies, unparseableBodies } from '../test/helpers/gerrit-comments.js';
import { random } from './api-data.js';
import {
  ciSpecs,
  pick,
  projectNames,
  projectWeights,
  type CiShape,
  type CiSpec,
} from './ci-model.js';
import {
  ciAccountId,
  emptyBatch,
  ReportRows,
  type Batch,
  type CiTally,
  type PatchSetRef,
} from './ci-rows.js';

export const HUMANS = 300;
const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;
const SUPERSEDED_WITHIN_MS = 3 * 3_600_000;
const VERBS = 'Fix Add Remove Refactor Document Deprecate Support Optimise Test Handle'.split(' ');
const NOUNS = (
  'volume attach retries|live migration timeout|port binding race|quota check|' +
  'image upload cache|policy defaults|API microversion|scheduler weigher|DB migration|' +
  'config option help'
).split('|');

export class CiStory {
  readonly cis: CiSpec[];
  readonly projects: string[];
  readonly start: number;
  readonly tallies: CiTally[];
  /** Eligible patch sets per project (created in the history, not replaced within 3 h). */
  readonly eligible: number[];
  private readonly end: number;
  private readonly rand = random(90503011);
  private readonly weights: number[];
  private readonly ids = { change: 0, patchSet: 0, state: 0 };
  private readonly rows: ReportRows;

  constructor(readonly shape: CiShape) {
    this.cis = ciSpecs(shape);
    this.projects = projectNames(shape.projects);
    this.weights = projectWeights(shape.projects);
    this.end = shape.end.getTime();
    this.start = this.end - shape.days * DAY_MS;
    this.eligible = this.projects.map(() => 0);
    this.rows = new ReportRows(this.rand, this.cis, this.projects);
    this.tallies = this.rows.tallies;
  }

  humanAccountId(h: number): number {
    return this.cis.length + 1 + h;
  }

  /** The rows of the changes created on day `d` (0-based) and everything that followed them. */
  day(d: number): Batch {
    this.rows.batch = emptyBatch();
    const dayStart = this.start + d * DAY_MS;
    const weekend = [0, 6].includes(new Date(dayStart).getUTCDay());
    const count = Math.round(
      this.shape.changesPerDay * (weekend ? 0.4 : 1) * (0.8 + this.rand() * 0.4),
    );
    const times = Array.from(
      { length: count },
      () => dayStart + wholeSeconds(this.rand() * DAY_MS),
    ).sort((a, b) => a - b);
    for (const t of times) this.change(t);
    return this.rows.batch;
  }

  private change(createdAt: number): void {
    const r = this.rand;
    const project = pick(this.weights, r());
    const owner = Math.floor(r() * HUMANS);
    const changeId = ++this.ids.change;
    const number = 800_000 + changeId;
    const branch = r() < 0.1 ? 'stable/2026.1' : 'master';
    const wanted = 1 + [0.45, 0.3, 0.15, 0.08].filter((p) => r() < p).length;
    const times = [createdAt];
    while (times.length < wanted) {
      const gap = r() < 0.3 ? (5 + r() * 170) * MINUTE_MS : (181 + r() * 2700) * MINUTE_MS;
      const at = times.at(-1)! + wholeSeconds(gap);
      if (at >= this.end) break;
      times.push(at);
    }
    const last = times.at(-1)!;
    const lastBroken = r() < 0.1;
    const fate = r();
    let status = 'NEW';
    let statusAt: number | null = null;
    if (fate < 0.62 && !lastBroken) {
      const at = last + wholeSeconds((2 + r() * 34) * 3_600_000);
      if (at < this.end) [status, statusAt] = ['MERGED', at];
    } else if (fate > 0.9) {
      const at = last + wholeSeconds((24 + r() * 120) * 3_600_000);
      if (at < this.end) [status, statusAt] = ['ABANDONED', at];
    }
    let updatedAt = statusAt ?? last;
    times.forEach((at, k) => {
      const isLast = k === times.length - 1;
      const superseded = times[k + 1] ?? null;
      const ps: PatchSetRef = {
        id: ++this.ids.patchSet,
        number: k + 1,
        changeNumber: number,
        project,
        createdAt: at,
        broken: isLast ? lastBroken : r() < 0.25,
        owner,
        branch,
        eligible: superseded === null || superseded > at + SUPERSEDED_WITHIN_MS,
        reporters: new Set(),
      };
      if (ps.eligible) this.eligible[project]!++;
      const kind = k > 0 && r() < 0.2 ? 'TRIVIAL_REBASE' : 'REWORK';
      const merged = isLast && status === 'MERGED' ? statusAt : null;
      const abandoned = isLast && status === 'ABANDONED' ? statusAt : null;
      this.rows.batch.gerrit_patch_sets.push([
        ps.id,
        changeId,
        project + 1,
        ps.number,
        `${this.rows.hex()}${this.rows.hex().slice(0, 8)}`,
        new Date(at),
        this.humanAccountId(owner),
        kind,
        date(superseded),
        date(merged),
        date(abandoned),
      ]);
      if (isLast && statusAt !== null) {
        const type = status === 'MERGED' ? 'change-merged' : 'change-abandoned';
        this.rows.batch.gerrit_state_changes.push([
          ++this.ids.state,
          changeId,
          ps.id,
          type,
          new Date(statusAt),
        ]);
      }
      updatedAt = Math.max(updatedAt, this.reportsOn(ps));
      if (merged !== null) {
        const gateAt = merged - wholeSeconds((20 + r() * 40) * MINUTE_MS);
        if (gateAt > at) this.rows.report(this.cis[0]!, ps, gateAt, 'gate');
      }
      if (ps.eligible) for (const i of ps.reporters) this.tallies[i]!.reportedEligible++;
    });
    const subject = `${VERBS[Math.floor(r() * VERBS.length)]} ${NOUNS[Math.floor(r() * NOUNS.length)]}`;
    this.rows.batch.gerrit_changes.push([
      changeId,
      1,
      number,
      project + 1,
      branch,
      subject,
      this.humanAccountId(owner),
      status,
      date(statusAt),
      new Date(createdAt),
      new Date(updatedAt),
    ]);
  }

  /** Every CI's reports (and rechecks, and unparsed comments) on a patch set; the newest time. */
  private reportsOn(ps: PatchSetRef): number {
    const r = this.rand;
    let newest = ps.createdAt;
    for (const ci of this.cis) {
      if (!ci.projects.has(ps.project) || r() >= ci.coverage) continue;
      const until = Math.min(this.end, ci.stopsAt ?? this.end);
      const at = ps.createdAt + this.latency(ci);
      if (ci.unparsed > 0 && r() < ci.unparsed && at - MINUTE_MS < until) {
        const body = unparseableBodies[Math.floor(r() * unparseableBodies.length)]!;
        this.rows.comment(ps, ciAccountId(ci.index), at - MINUTE_MS, 'unparsed', body);
        this.tallies[ci.index]!.unparsed++;
      }
      if (at >= until) continue;
      newest = Math.max(newest, at);
      const verdict = this.rows.report(ci, ps, at, 'check');
      if (!ci.upstream || verdict !== 'FAILURE' || r() >= 0.4) continue;
      const recheckAt = at + wholeSeconds((5 + r() * 85) * MINUTE_MS);
      if (recheckAt >= this.end) continue;
      const body = recheckBodies[Math.floor(r() * recheckBodies.length)]!;
      this.rows.comment(ps, this.humanAccountId(ps.owner), recheckAt, 'recheck', body);
      newest = Math.max(newest, recheckAt);
      const again = recheckAt + this.latency(ci);
      if (again >= this.end) continue;
      this.rows.report(ci, ps, again, 'check');
      newest = Math.max(newest, again);
    }
    return newest;
  }

  /** Lognormal around the CI's median, at least a minute. */
  private latency(ci: CiSpec): number {
    const gaussian =
      Math.sqrt(-2 * Math.log(1 - this.rand())) * Math.cos(2 * Math.PI * this.rand());
    return Math.max(MINUTE_MS, wholeSeconds(ci.latency * 1000 * Math.exp(0.7 * gaussian)));
  }
}

/** Every instant is a whole second: MariaDB's DATETIME keeps no more, and both must agree. */
function wholeSeconds(ms: number): number {
  return Math.round(ms / 1000) * 1000;
}

function date(ms: number | null): Date | null {
  return ms === null ? null : new Date(ms);
}
