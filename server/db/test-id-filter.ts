import type { Knex } from '@mikro-orm/knex';
import { GatewatchError } from '../errors.js';
import type { Database, Dialect } from './orm.js';
import { bytewise } from './sql.js';

/** How test ids are chosen; every given condition must hold. */
export interface TestIdFilter {
  prefix?: string | null;
  contains?: string | null;
  /** A regular expression in the {@link checkTestIdFilter} subset, unanchored. */
  matches?: string | null;
}

/** The longest text a prefix, substring or expression may be (characters). */
export const MAX_TEST_ID_FILTER = 512;

/**
 * Counted repetitions (`{m,n}`) an expression may hold, and their largest bound: libsql
 * expands them, so nested ones multiply its work (three nested `{100}` take seconds a row).
 */
export const MAX_REPETITIONS = 2;
export const MAX_REPETITION_BOUND = 100;

/**
 * The escapes both SQL engines read alike: classes, word boundaries, `\xHH` (checked apart),
 * and the metacharacters taken literally (libsql refuses any other escaped character).
 */
const KNOWN_ESCAPE = /^[dDwWsSb\\^$.[\]()*+?{}|]$/;

/**
 * Throws BAD_ARGUMENT, naming the problem, unless the filter is one both dialects answer
 * alike: texts of at most {@link MAX_TEST_ID_FILTER} characters, and an expression that
 * JavaScript compiles and that keeps to what SQLite's and MariaDB's REGEXP share: `.`,
 * `[…]`, `[^…]`, `(…)`, `|`, `*`, `+`, `?`, `{m,n}`, `^`, `$`, `\d \w \s \b` (and their
 * negations but `\B`), `\xHH` and escaped metacharacters (`\.`, `\(`, …); at most
 * {@link MAX_REPETITIONS} counted repetitions, bounds up to {@link MAX_REPETITION_BOUND}. No
 * `(?…)` groups, backreferences, POSIX classes or other escapes.
 */
export function checkTestIdFilter(filter: TestIdFilter | null | undefined): void {
  for (const name of ['prefix', 'contains', 'matches'] as const) {
    const text = filter?.[name];
    if (text && text.length > MAX_TEST_ID_FILTER) {
      throw new GatewatchError(
        'BAD_ARGUMENT',
        `${name} is ${text.length} characters long; at most ${MAX_TEST_ID_FILTER} are allowed`,
      );
    }
  }
  const pattern = filter?.matches;
  if (!pattern) return;
  try {
    new RegExp(pattern);
  } catch (error) {
    throw new GatewatchError(
      'BAD_ARGUMENT',
      `matches "${pattern}" is not a regular expression: ${(error as Error).message}`,
    );
  }
  const unsupported = unsupportedConstruct(pattern);
  if (unsupported) {
    throw new GatewatchError(
      'BAD_ARGUMENT',
      `matches "${pattern}" uses ${unsupported}, which test id expressions do not support`,
    );
  }
}

/** The first construct outside the shared subset, described; null when there is none. */
function unsupportedConstruct(pattern: string): string | null {
  if (pattern.includes('(?')) return '"(?" (non-capturing groups, lookaround, flags)';
  if (pattern.includes('[[:')) return 'a POSIX class ("[[:…:]]")';
  let repetitions = 0;
  for (let i = 0; i < pattern.length; i++) {
    if (pattern[i] === '{') {
      // SQLite refuses a brace that starts no repetition; JavaScript and PCRE read it literally.
      const repetition = /^\{(\d+)(?:,(\d*))?\}/.exec(pattern.slice(i));
      if (!repetition) return 'a "{" that starts no repetition (escape it: "\\{")';
      const bounds = [repetition[1], repetition[2]].filter(Boolean).map(Number);
      if (++repetitions > MAX_REPETITIONS) {
        return `more than ${MAX_REPETITIONS} "{m,n}" repetitions`;
      }
      if (bounds.some((n) => n > MAX_REPETITION_BOUND)) {
        return `the repetition "${repetition[0]}" (bounds up to ${MAX_REPETITION_BOUND})`;
      }
      if (bounds.every((n) => n === 0)) return `the repetition "${repetition[0]}" (of nothing)`;
    }
    if (pattern[i] !== '\\') continue;
    const next = pattern[i + 1] ?? '';
    if (next === 'x' && /^[0-9A-Fa-f]{2}$/.test(pattern.slice(i + 2, i + 4))) {
      i += 3;
    } else if (KNOWN_ESCAPE.test(next)) {
      i += 1;
    } else {
      return `the escape "\\${next}"`;
    }
  }
  return null;
}

/**
 * Throws BAD_ARGUMENT, with the database's reason, when the database cannot compile the
 * filter's expression though it keeps to the subset: what the engines still read apart (a
 * class escape inside brackets, `[\\d]`, on SQLite; one PCRE finds too large). One trivial
 * query, so the list's own query never fails on it.
 */
export async function checkPatternInDatabase(
  db: Database,
  filter: TestIdFilter | null | undefined,
): Promise<void> {
  const pattern = filter?.matches;
  if (!pattern) return;
  const subject = db.dialect === 'sqlite' ? "''" : "'' collate utf8mb4_bin";
  try {
    await db.knex.raw(`select ${subject} regexp ? as matched`, [pattern]);
  } catch (error) {
    const reason = (error instanceof Error ? error.message : String(error)).split('\n')[0];
    throw new GatewatchError(
      'BAD_ARGUMENT',
      `matches "${pattern}" is not an expression the database reads: ${reason}`,
    );
  }
}

/**
 * Restricts a query to test ids (in `column`) with a prefix, a substring and/or a regular
 * expression match, case-sensitively on both dialects. Prefix and substring are literal:
 * instr() has no wildcards to escape, and comparing bytes sidesteps MySQL's space padding
 * and SQLite's ASCII-only LIKE folding. The expression goes to REGEXP, which both engines
 * evaluate in the database (libsql's own, linear-time; MariaDB's PCRE under utf8mb4_bin, so
 * case-sensitive and by character); call {@link checkTestIdFilter} and
 * {@link checkPatternInDatabase} first.
 */
export function whereTestId(
  query: Knex.QueryBuilder,
  dialect: Dialect,
  column: string,
  filter: TestIdFilter | null | undefined,
): Knex.QueryBuilder {
  const id = bytewise(dialect, column);
  const param = bytewise(dialect, '?');
  if (filter?.prefix) query.whereRaw(`instr(${id}, ${param}) = 1`, [filter.prefix]);
  if (filter?.contains) query.whereRaw(`instr(${id}, ${param}) > 0`, [filter.contains]);
  if (filter?.matches) {
    const text = dialect === 'sqlite' ? column : `${column} collate utf8mb4_bin`;
    query.whereRaw(`${text} regexp ?`, [filter.matches]);
  }
  return query;
}
