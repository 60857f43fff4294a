import { switchOption, textOption, type Invocation } from '../command.js';
import { GatewatchError } from '../errors.js';
import {
  MAX_RECHECK_RANKING,
  recheckCost,
  type RecheckCost,
} from '../insights/rechecks/recheck-cost.service.js';
import { ruleStats, type RuleStats } from '../insights/signatures/rule.service.js';
import { withDatabase } from './database.js';
import { parseSince } from './runs.js';
import { formatTable, utcTime } from './table.js';

const DEFAULT_RANKING = 20;

/**
 * `gatewatch rechecks [--since D] [--until D] [--project P] [--ci ACCOUNT] [-n N] [--json]`:
 * the totals, then the most rechecked changes and the costliest tests and signatures.
 */
export async function rechecks(invocation: Invocation): Promise<number> {
  const now = new Date();
  const instant = (flag: string) => {
    const text = textOption(invocation, flag);
    return text === undefined ? null : parseSince(text, now, flag);
  };
  const filter = {
    since: instant('since'),
    until: instant('until'),
    project: textOption(invocation, 'project') ?? null,
    ci: textOption(invocation, 'ci') ?? null,
  };
  const count = textOption(invocation, 'limit');
  if (count !== undefined && (!/^\d+$/.test(count) || +count < 1 || +count > MAX_RECHECK_RANKING)) {
    throw new GatewatchError(
      'BAD_ARGUMENT',
      `-n ${count}: expected a count 1…${MAX_RECHECK_RANKING}`,
    );
  }
  return withDatabase(invocation, async (db) => {
    const cost = await recheckCost(db, filter, count === undefined ? DEFAULT_RANKING : +count);
    const rules = new Map(
      (await ruleStats(db, [...new Set(cost.bySignature.flatMap((s) => s.ruleIds))])).map((r) => [
        r.id,
        r,
      ]),
    );
    invocation.io.stdout.write(
      switchOption(invocation, 'json')
        ? `${JSON.stringify(costJson(cost, rules), null, 2)}\n`
        : `${formatCost(cost, rules)}\n`,
    );
    return 0;
  });
}

/** The cost as `--json` prints it: the GraphQL shape, signatures with their rules. */
function costJson(cost: RecheckCost, rules: ReadonlyMap<number, RuleStats>) {
  return {
    ...cost,
    bySignature: cost.bySignature.map(({ signature, ruleIds, ...rest }) => ({
      signature: {
        fingerprint: signature.fingerprint,
        summary: signature.summary,
        failures: signature.failures,
        runs: signature.runs,
        firstSeen: signature.firstSeen,
        lastSeen: signature.lastSeen,
      },
      knownIssues: ruleIds.flatMap((id) => {
        const rule = rules.get(id);
        return rule ? [{ id: String(id), title: rule.title, bugUrl: rule.bugUrl }] : [];
      }),
      ...rest,
    })),
  };
}

function formatCost(cost: RecheckCost, rules: ReadonlyMap<number, RuleStats>): string {
  const hours = (h: number) => h.toFixed(2);
  const lines = [
    `${utcTime(cost.since)} … ${utcTime(cost.until)} (UTC)`,
    `rechecks: ${cost.rechecks} on ${cost.changes} changes`,
    `re-runs: ${cost.reruns}, ${hours(cost.rerunNodeHours)} node-hours` +
      (cost.unknownDurations > 0
        ? ` (${cost.unknownDurations} build${cost.unknownDurations === 1 ? '' : 's'} without a duration, counted as 0)`
        : ''),
    `attributed to flaky tests and known issues: ${cost.attributedReruns} re-runs, ` +
      `${hours(cost.attributedNodeHours)} node-hours; unattributed: ${cost.unattributedReruns} re-runs`,
  ];
  const table = (title: string, header: string[], rows: string[][], right: number[]) =>
    rows.length === 0 ? [] : ['', title, formatTable([header, ...rows], right)];
  lines.push(
    ...table(
      'most rechecked changes',
      ['CHANGE', 'PROJECT', 'RECHECKS', 'RE-RUNS', 'NODE-HOURS', 'SUBJECT'],
      cost.topChanges.map((c) => [
        String(c.change),
        c.project,
        String(c.rechecks),
        String(c.reruns),
        hours(c.nodeHours),
        (c.subject ?? '').slice(0, 60),
      ]),
      [2, 3, 4],
    ),
    ...table(
      'by test',
      ['TEST', 'RE-RUNS', 'NODE-HOURS', 'FLAKY ON'],
      cost.byTest.map((t) => [
        t.testId,
        String(t.reruns),
        hours(t.nodeHours),
        t.flakyScopes.join(',') || '-',
      ]),
      [1, 2],
    ),
    ...table(
      'by signature',
      ['FINGERPRINT', 'RE-RUNS', 'NODE-HOURS', 'KNOWN ISSUES', 'SUMMARY'],
      cost.bySignature.map((s) => [
        s.signature.fingerprint.slice(0, 12),
        String(s.reruns),
        hours(s.nodeHours),
        s.ruleIds.map((id) => rules.get(id)?.title ?? String(id)).join(', ') || '-',
        s.signature.summary.slice(0, 80),
      ]),
      [1, 2],
    ),
  );
  return lines.join('\n');
}
