/**
 * What recheck cost the recheck history (recheck-history.ts) should give, computed from its
 * description alone by README "Recheck cost": re-runs by CI and patch set, their causes through
 * the linked runs' failures, attribution by flaky scope or known-issue rule, equal shares.
 */
import { insightHistory, type InsightRun } from './insight-history.js';
import {
  FLAKY_SCOPES,
  PROJECT,
  RECHECKS,
  REPORTS,
  RULE_TESTS,
  type Report,
} from './recheck-history.js';
import { failuresOf } from './signature-oracle.js';

/** Hours as both sides are compared: to the microhour, sums being summed in another order. */
export const roundHours = (hours: number): number => Math.round(hours * 1e6) / 1e6;

const stripAttrs = (id: string) => id.replace(/\[[^\]]*\]$/, '');

function scopesOf(run: InsightRun): string[] {
  const m = run.metadata;
  return [
    `job:${m.build_name}`,
    `project:${m.project}`,
    `branch:${m.build_branch}`,
    `queue:${m.build_queue}`,
  ];
}

/** A ranking as the oracle builds it: reruns and hours per name. */
function rank(entries: Map<string, { reruns: number; seconds: number }>) {
  return [...entries]
    .map(([name, e]) => ({ name, reruns: e.reruns, nodeHours: roundHours(e.seconds / 3600) }))
    .sort((a, b) => b.nodeHours - a.nodeHours || (a.name < b.name ? -1 : 1));
}

/** What recheckCost should answer over {@link WINDOW}, for every CI or one (its username). */
export function expectedCost(ci?: string) {
  const failures = failuresOf(
    insightHistory.map((r) => ({ file: `insights/${r.file}`, job: r.metadata.build_name })),
  );
  const fingerprintOf = (run: InsightRun, test: string) =>
    failures.find((f) => insightHistory[f.run] === run && stripAttrs(f.testId) === test)!
      .fingerprint;
  const reruns: {
    report: Report;
    seconds: number;
    unknown: number;
    tests: Set<string>;
    signatures: Set<string>;
  }[] = [];
  const last = new Map<string, Report>();
  for (const report of REPORTS) {
    const key = `${report.ci.username} ${report.change}/${report.patchSet}`;
    const previous = last.get(key);
    last.set(key, report);
    if (!previous || (ci !== undefined && report.ci.username !== ci)) continue;
    const tests = new Set<string>();
    const signatures = new Set<string>();
    for (const build of previous.builds.filter((b) => b.result !== 'SUCCESS' && b.run)) {
      const run = insightHistory.find((r) => r.order === build.run)!;
      for (const test of run.failed.map(stripAttrs)) {
        const flaky = (FLAKY_SCOPES[test] ?? []).some((s) => scopesOf(run).includes(s));
        if (!flaky && !RULE_TESTS.includes(test)) continue;
        tests.add(test);
        signatures.add(fingerprintOf(run, test));
      }
    }
    reruns.push({
      report,
      seconds: report.builds.reduce((sum, b) => sum + (b.duration ?? 0), 0),
      unknown: report.builds.filter((b) => b.duration === null).length,
      tests,
      signatures,
    });
  }
  const share = (names: (r: (typeof reruns)[number]) => Set<string>) => {
    const totals = new Map<string, { reruns: number; seconds: number }>();
    for (const rerun of reruns) {
      for (const name of names(rerun)) {
        const entry = totals.get(name) ?? { reruns: 0, seconds: 0 };
        totals.set(name, {
          reruns: entry.reruns + 1,
          seconds: entry.seconds + rerun.seconds / names(rerun).size,
        });
      }
    }
    return rank(totals);
  };
  const attributed = reruns.filter((r) => r.tests.size > 0);
  const hours = (rs: typeof reruns) => roundHours(rs.reduce((sum, r) => sum + r.seconds, 0) / 3600);
  const changes = [...new Set(RECHECKS.map(([change]) => change))];
  return {
    rechecks: RECHECKS.length,
    changes: changes.length,
    reruns: reruns.length,
    rerunNodeHours: hours(reruns),
    unknownDurations: reruns.reduce((sum, r) => sum + r.unknown, 0),
    attributedReruns: attributed.length,
    attributedNodeHours: hours(attributed),
    unattributedReruns: reruns.length - attributed.length,
    topChanges: changes
      .map((change) => {
        const on = reruns.filter((r) => r.report.change === change);
        return {
          change,
          project: PROJECT,
          subject: `Fix ${change}`,
          rechecks: RECHECKS.filter(([c]) => c === change).length,
          reruns: on.length,
          nodeHours: hours(on),
        };
      })
      .sort((a, b) => b.rechecks - a.rechecks || a.change - b.change),
    byTest: share((r) => r.tests).map((e) => ({
      testId: e.name,
      reruns: e.reruns,
      nodeHours: e.nodeHours,
      flakyScopes: [...(FLAKY_SCOPES[e.name] ?? [])].sort(),
    })),
    bySignature: share((r) => r.signatures).map((e) => ({
      fingerprint: e.name,
      reruns: e.reruns,
      nodeHours: e.nodeHours,
    })),
  };
}
