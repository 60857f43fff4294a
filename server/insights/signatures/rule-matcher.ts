/**
 * Applying known-issue rules to failures without letting a hostile pattern stall ingest.
 * A user's regular expression may backtrack catastrophically (`^(a+)+$` on 30 `a`s and a `!`
 * takes minutes); V8 cannot bound a match, but it can interrupt a script run with a timeout,
 * regular expression included. So every rule runs once per batch of failures, inside a `vm`
 * context, under a timeout: one slow rule costs at most that long, and is then disabled.
 * (No native `re2` dependency: it builds from source here, and would reject patterns users
 * of Python's and JavaScript's syntax expect to work.)
 */
import vm from 'node:vm';
import { GatewatchError } from '../../errors.js';

/** What a rule looks at. */
export const RULE_FIELDS = ['message', 'traceback', 'test', 'fingerprint'] as const;
export type RuleField = (typeof RULE_FIELDS)[number];

/** A rule as matching needs it. */
export interface MatchRule {
  id: number;
  field: RuleField;
  pattern: string;
}

/** One failure as rules see it. */
export interface FailureText {
  /** The exception line as printed. */
  message: string;
  /** The end of the traceback (`signatures.tracebackBytes`). */
  traceback: string;
  /** The test id, without attributes. */
  test: string;
  fingerprint: string;
}

export interface MatchOutcome {
  /** Each hit: the rule and the failure's index in the batch. */
  hits: { rule: number; failure: number }[];
  /** The rules that ran out of time, with why (to be disabled). */
  timedOut: { rule: number; reason: string }[];
}

/**
 * Throws BAD_ARGUMENT, naming the problem, when a rule's pattern cannot be one: too long, not
 * a regular expression, not a fingerprint.
 */
export function checkRulePattern(field: RuleField, pattern: string, maxLength: number): void {
  if (!RULE_FIELDS.includes(field)) {
    throw new GatewatchError(
      'BAD_ARGUMENT',
      `rule field "${field}" is none of ${RULE_FIELDS.join(', ')}`,
    );
  }
  if (field === 'fingerprint') {
    if (!/^[0-9a-f]{64}$/.test(pattern)) {
      throw new GatewatchError(
        'BAD_ARGUMENT',
        `fingerprint "${pattern.slice(0, 80)}" is not a signature's fingerprint (64 hex digits)`,
      );
    }
    return;
  }
  if (pattern === '' || pattern.length > maxLength) {
    throw new GatewatchError(
      'BAD_ARGUMENT',
      `the pattern is ${pattern.length} characters long; 1 to ${maxLength} are allowed`,
    );
  }
  try {
    new RegExp(pattern);
  } catch (error) {
    throw new GatewatchError(
      'BAD_ARGUMENT',
      `the pattern is not a regular expression: ${(error as Error).message}`,
    );
  }
}

/** Matching code inside the context: the rule's regexp over the batch's texts of its field. */
const MATCH_ONE = `(() => {
  const hits = [];
  const re = regexps[rule];
  for (let i = 0; i < texts.length; i++) if (re.test(texts[i])) hits.push(i);
  return hits;
})()`;

/** Matches a fixed set of rules against batches of failures, each rule under `timeoutMs`. */
export class RuleMatcher {
  private readonly context: vm.Context;
  private readonly script = new vm.Script(MATCH_ONE);
  private readonly disabled = new Set<number>();

  constructor(
    private readonly rules: readonly MatchRule[],
    private readonly timeoutMs: number,
  ) {
    this.context = vm.createContext({ regexps: [], texts: [], rule: 0 });
    const patterns = rules.map((r) => (r.field === 'fingerprint' ? '' : r.pattern));
    this.context.patterns = patterns;
    vm.runInContext('regexps = patterns.map((p) => new RegExp(p))', this.context);
  }

  /** Whether any rule reads `field` (the traceback need not be decoded otherwise). */
  reads(field: RuleField): boolean {
    return this.rules.some((r) => r.field === field && !this.disabled.has(r.id));
  }

  get empty(): boolean {
    return this.rules.length === this.disabled.size;
  }

  match(failures: readonly FailureText[]): MatchOutcome {
    const outcome: MatchOutcome = { hits: [], timedOut: [] };
    if (failures.length === 0) return outcome;
    this.rules.forEach((rule, index) => {
      if (this.disabled.has(rule.id)) return;
      if (rule.field === 'fingerprint') {
        failures.forEach((f, i) => {
          if (f.fingerprint === rule.pattern) outcome.hits.push({ rule: rule.id, failure: i });
        });
        return;
      }
      this.context.texts = failures.map((f) => f[rule.field]);
      this.context.rule = index;
      try {
        const hits = this.script.runInContext(this.context, {
          timeout: this.timeoutMs,
        }) as number[];
        for (const i of hits) outcome.hits.push({ rule: rule.id, failure: i });
      } catch (error) {
        if ((error as { code?: string }).code !== 'ERR_SCRIPT_EXECUTION_TIMEOUT') throw error;
        this.disabled.add(rule.id);
        outcome.timedOut.push({
          rule: rule.id,
          reason: `matching ${failures.length} failures took longer than ${this.timeoutMs} ms (catastrophic backtracking?)`,
        });
      }
    });
    return outcome;
  }
}
