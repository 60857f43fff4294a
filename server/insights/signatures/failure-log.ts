/**
 * What ingest keeps of a run's failures while its batches stream by: each failing result's
 * signature (computed in the parse worker), the known-issue rules' hits on it, and whether
 * every test that failed passed later in the run. Small by construction: no traceback is
 * kept past its batch.
 */
import type { Knex } from '@mikro-orm/knex';
import { tailText, type FailureSignature } from '../../../workers/signatures/normalise.js';
import { SECTIONS } from '../../config/settings.js';
import { RuleMatcher, type FailureText, type MatchRule } from './rule-matcher.js';

/** Limits of the signature work on ingest (settings `signatures.*`). */
export interface SignatureLimits {
  /** Bytes of the end of a traceback that rules read. */
  tracebackBytes: number;
  /** Longest one rule may take over one batch of failures (ms). */
  matchTimeoutMs: number;
}

export const DEFAULT_SIGNATURE_LIMITS: SignatureLimits = {
  tracebackBytes: SECTIONS.signatures.tracebackBytes.parse(
    SECTIONS.signatures.tracebackBytes.default!,
  ),
  matchTimeoutMs: SECTIONS.signatures.matchTimeout.parse(SECTIONS.signatures.matchTimeout.default!),
};

/** A failing result with a signature. */
export interface LoggedFailure {
  seq: number;
  testRowId: number;
  testId: string;
  signature: FailureSignature;
}

export class FailureLog {
  readonly failures: LoggedFailure[] = [];
  /** Rule hits, by result seq. */
  readonly hits: { rule: number; seq: number }[] = [];
  /** Rules that ran out of time on this run, to be disabled. */
  readonly timedOut: { rule: number; reason: string }[] = [];
  /** Each test's latest outcome in the run; failed: the tests that failed at least once. */
  private readonly latest = new Map<string, string | null>();
  private readonly failed = new Set<string>();
  private pending: { failure: LoggedFailure; traceback: Uint8Array | undefined }[] = [];
  private matcher: Promise<RuleMatcher> | null = null;

  constructor(
    private readonly trx: Knex,
    private readonly limits: SignatureLimits = DEFAULT_SIGNATURE_LIMITS,
  ) {}

  /** Takes every result of the run, in stream order, with its outcome (`runs/outcome.ts`). */
  see(testId: string, outcome: string | null): void {
    this.latest.set(testId, outcome);
    if (outcome === 'failing') this.failed.add(testId);
  }

  /** Takes a failing result's signature and its traceback bytes. */
  add(failure: LoggedFailure, traceback: Uint8Array | undefined): void {
    this.failures.push(failure);
    this.pending.push({ failure, traceback });
  }

  /** Applies the rules to the failures added since the last call. */
  async endBatch(): Promise<void> {
    if (this.pending.length === 0) return;
    const pending = this.pending;
    this.pending = [];
    this.matcher ??= loadRules(this.trx).then(
      (rules) => new RuleMatcher(rules, this.limits.matchTimeoutMs),
    );
    const matcher = await this.matcher;
    if (matcher.empty) return;
    const decode = matcher.reads('traceback');
    const texts: FailureText[] = pending.map(({ failure, traceback }) => ({
      message: failure.signature.message,
      traceback: decode && traceback ? tailText(traceback, this.limits.tracebackBytes) : '',
      test: failure.testId,
      fingerprint: failure.signature.fingerprint,
    }));
    const outcome = matcher.match(texts);
    for (const hit of outcome.hits) {
      this.hits.push({ rule: hit.rule, seq: pending[hit.failure]!.failure.seq });
    }
    this.timedOut.push(...outcome.timedOut);
  }

  /** The run passed after retries: every test that failed in it passed in a later attempt. */
  get runPassed(): boolean {
    for (const testId of this.failed) if (this.latest.get(testId) !== 'passing') return false;
    return true;
  }
}

/** The rules still applied, in id order. */
export async function loadRules(knex: Knex): Promise<MatchRule[]> {
  const rows = (await knex('known_issue_rules')
    .select('id', 'field', 'pattern')
    .whereNull('disabled_reason')
    .orderBy('id')) as { id: number; field: MatchRule['field']; pattern: string }[];
  return rows.map((r) => ({ id: Number(r.id), field: r.field, pattern: r.pattern }));
}
