// First: the verdicts' GraphQL enum needs the polyfill.
import 'reflect-metadata';
import { loadConfig } from '../config/config.js';
import { excludeLine } from '../insights/flaky/exclude-list.js';
import {
  listVerdicts,
  type VerdictFilter,
  type VerdictView,
} from '../insights/flaky/flaky.service.js';
import { switchOption, textOption, type Invocation } from '../command.js';
import { withDatabase } from './database.js';
import { createOutput } from './output.js';
import { parseSince } from './runs.js';
import { formatTable, utcTime } from './table.js';

/**
 * `gatewatch flaky [--job J] [--project P] [--branch B] [--queue Q] [--since D] [--json]
 * [--exclude-list]`: flaky and
 * broken tests per scope with their evidence, as a table, JSON, or stestr's exclude list.
 */
export async function flaky(invocation: Invocation): Promise<number> {
  const settings = loadConfig(invocation.options, invocation.io.env).flaky;
  const filter: VerdictFilter = {
    job: textOption(invocation, 'job') ?? null,
    project: textOption(invocation, 'project') ?? null,
    branch: textOption(invocation, 'branch') ?? null,
    queue: textOption(invocation, 'queue') ?? null,
  };
  const since = textOption(invocation, 'since');
  if (since !== undefined) filter.since = parseSince(since, new Date());
  return withDatabase(invocation, async (db) => {
    const verdicts: VerdictView[] = [];
    let after: string | null = null;
    do {
      const page = await listVerdicts(db, settings, filter, { first: settings.maxPage, after });
      verdicts.push(...page.nodes);
      after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
    } while (after !== null);
    const stdout = createOutput(invocation.io.stdout);
    if (switchOption(invocation, 'excludeList')) {
      const flakyTests = new Set(
        verdicts.filter((v) => v.verdict === 'flaky').map((v) => v.testId),
      );
      await stdout.write(
        [...flakyTests]
          .sort()
          .map((id) => `${excludeLine(id)}\n`)
          .join(''),
      );
    } else if (switchOption(invocation, 'json')) {
      await stdout.write(`${JSON.stringify(verdicts.map(verdictJson), null, 2)}\n`);
    } else {
      await stdout.write(`${formatVerdicts(verdicts)}\n`);
    }
    return 0;
  });
}

/** A verdict as `gatewatch flaky --json` prints it. */
function verdictJson(v: VerdictView) {
  return {
    testId: v.testId,
    scope: v.scope,
    verdict: v.verdict,
    reason: v.reason,
    runs: v.runs,
    failures: v.failures,
    firstSeen: v.firstSeen.toISOString(),
    lastSeen: v.lastSeen.toISOString(),
    changedAt: v.changedAt?.toISOString() ?? null,
    evidence: {
      runs: v.evidence.runs.map((r) => ({ ...r, at: r.at.toISOString() })),
      patchSets: v.evidence.patchSets,
      transitions: v.evidence.transitions,
    },
    history: v.history.map((t) => ({ ...t, at: t.at.toISOString() })),
  };
}

function formatVerdicts(verdicts: readonly VerdictView[]): string {
  if (verdicts.length === 0) return 'no flaky or broken test';
  const rows = [
    ['TEST', 'SCOPE', 'VERDICT', 'WHY', 'RUNS', 'FAIL', 'LAST FAILED (UTC)', 'EVIDENCE'],
    ...verdicts.map((v) => [
      v.testId,
      v.scope,
      v.verdict ?? '-',
      v.reason ?? '-',
      String(v.runs),
      String(v.failures),
      utcTime(v.lastSeen),
      evidenceText(v),
    ]),
  ];
  return formatTable(rows, [4, 5]);
}

/** The evidence in a few words: the patch sets, else the failing runs (short ids). */
function evidenceText(v: VerdictView): string {
  if (v.evidence.patchSets.length > 0) {
    return v.evidence.patchSets
      .map((p) => `${p.change},${p.patchset} ${p.passes} pass ${p.failures} fail`)
      .join('; ');
  }
  if (v.reason === 'transitions') return `${v.evidence.transitions} transitions`;
  return v.evidence.runs.map((r) => `${r.run.slice(0, 8)} ${r.result}`).join(' ');
}
