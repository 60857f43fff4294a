import { loadConfig } from '../config/config.js';
import { switchOption, textOption, type Invocation } from '../command.js';
import { MAX_PAGE } from '../db/page.js';
import { GatewatchError } from '../errors.js';
import {
  addRule,
  listRules,
  removeRule,
  type RuleRow,
} from '../insights/signatures/rule.service.js';
import { RULE_FIELDS, type RuleField } from '../insights/signatures/rule-matcher.js';
import { signaturesPage } from '../insights/signatures/signature.service.js';
import { withDatabase } from './database.js';
import { parseSince } from './runs.js';
import { formatTable, utcTime } from './table.js';

/** `gatewatch signatures [--since D] [--job J] [--json]`: the newest signatures, last seen first. */
export async function signatures(invocation: Invocation): Promise<number> {
  const since = textOption(invocation, 'since');
  const filter = {
    since: since === undefined ? null : parseSince(since, new Date()),
    job: textOption(invocation, 'job') ?? null,
  };
  return withDatabase(invocation, async (db) => {
    const page = await signaturesPage(db, filter, { first: MAX_PAGE });
    const rows = page.nodes.map((s) => ({
      fingerprint: s.fingerprint,
      summary: s.summary,
      failures: s.failures,
      runs: s.runs,
      firstSeen: s.firstSeen,
      lastSeen: s.lastSeen,
    }));
    if (switchOption(invocation, 'json')) {
      invocation.io.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
      return 0;
    }
    const table = [
      ['FINGERPRINT', 'FAILURES', 'RUNS', 'FIRST SEEN', 'LAST SEEN', 'SUMMARY'],
      ...rows.map((s) => [
        s.fingerprint.slice(0, 12),
        String(s.failures),
        String(s.runs),
        utcTime(s.firstSeen),
        utcTime(s.lastSeen),
        s.summary.slice(0, 100),
      ]),
    ];
    invocation.io.stdout.write(
      rows.length === 0 ? 'no failure signatures\n' : `${formatTable(table)}\n`,
    );
    return 0;
  });
}

/** `gatewatch rules add (--pattern RE --field F | --fingerprint F) --bug URL --title T`. */
export async function addKnownIssueRule(invocation: Invocation): Promise<number> {
  const fingerprint = textOption(invocation, 'fingerprint');
  const pattern = textOption(invocation, 'pattern');
  if ((fingerprint === undefined) === (pattern === undefined)) {
    throw new GatewatchError(
      'BAD_ARGUMENT',
      'rules add takes --pattern RE (with --field) or --fingerprint F, one of them',
    );
  }
  const field =
    fingerprint === undefined ? (textOption(invocation, 'field') ?? 'message') : 'fingerprint';
  if (
    !RULE_FIELDS.includes(field as RuleField) ||
    (pattern !== undefined && field === 'fingerprint')
  ) {
    throw new GatewatchError(
      'BAD_ARGUMENT',
      `--field ${field}: expected message, traceback or test`,
    );
  }
  const bugUrl = required(invocation, 'bug');
  const title = required(invocation, 'title');
  const settings = loadConfig(invocation.options, invocation.io.env).signatures;
  return withDatabase(invocation, async (db) => {
    const rule = await addRule(db, settings, {
      field: field as RuleField,
      pattern: (fingerprint ?? pattern)!,
      bugUrl,
      title,
    });
    invocation.io.stdout.write(
      switchOption(invocation, 'json')
        ? `${JSON.stringify(rule, null, 2)}\n`
        : `added rule ${rule.id}: ${rule.hits} past failures match${rule.disabledReason ? `; disabled: ${rule.disabledReason}` : ''}\n`,
    );
    return 0;
  });
}

/** `gatewatch rules list [--json]`: every rule with its hits and flags. */
export async function listKnownIssueRules(invocation: Invocation): Promise<number> {
  const settings = loadConfig(invocation.options, invocation.io.env).signatures;
  return withDatabase(invocation, async (db) => {
    const rules = await listRules(db, settings);
    invocation.io.stdout.write(
      switchOption(invocation, 'json')
        ? `${JSON.stringify(rules, null, 2)}\n`
        : `${formatRules(rules)}\n`,
    );
    return 0;
  });
}

/** `gatewatch rules remove ID`. */
export async function removeKnownIssueRule(invocation: Invocation): Promise<number> {
  const id = invocation.args[0]!;
  return withDatabase(invocation, async (db) => {
    await removeRule(db, id);
    invocation.io.stdout.write(`removed rule ${id}\n`);
    return 0;
  });
}

function required(invocation: Invocation, flag: string): string {
  const value = textOption(invocation, flag);
  if (value === undefined) throw new GatewatchError('BAD_ARGUMENT', `rules add needs --${flag}`);
  return value;
}

function formatRules(rules: RuleRow[]): string {
  if (rules.length === 0) return 'no known-issue rules (gatewatch rules add makes one)';
  const flags = (r: RuleRow) =>
    [r.disabledReason ? 'disabled' : '', r.imprecise ? 'imprecise' : '', r.stale ? 'stale' : '']
      .filter(Boolean)
      .join(',') || '-';
  return formatTable([
    ['ID', 'FIELD', 'PATTERN', 'HITS', 'PASSED', 'LAST HIT', 'FLAGS', 'BUG'],
    ...rules.map((r) => [
      String(r.id),
      r.field,
      r.pattern.slice(0, 60),
      String(r.hits),
      String(r.passedHits),
      r.lastHit ? utcTime(r.lastHit) : 'never',
      flags(r),
      r.bugUrl,
    ]),
  ]);
}
