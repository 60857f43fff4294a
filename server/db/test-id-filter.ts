import type { Knex } from '@mikro-orm/knex';
import { GatewatchError } from '../errors.js';
import type { Dialect } from './orm.js';
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
 * The escapes both SQL engines read alike: classes, word boundaries, `\xHH` (checked apart),
 * and the metacharacters taken literally (libsql refuses any other escaped character).
 */
const KNOWN_ESCAPE = /^[dDwWsSb\\^$.[\]()*+?{}|]$/;

/**
 * Throws BAD_ARGUMENT, naming the problem, unless the filter is one both dialects answer
 * alike: texts of at most {@link MAX_TEST_ID_FILTER} characters, and an expression that
 * JavaScript compiles and that keeps to what SQLite's and MariaDB's REGEXP share: `.`,
 * `[…]`, `[^…]`, `(…)`, `|`, `*`, `+`, `?`, `{m,n}`, `^`, `$`, `\d \w \s \b` (and their
 * negations but `\B`), `\xHH` and escaped metacharacters (`\.`, `\(`, …). No `(?…)`
 * groups, backreferences, POSIX classes or other escapes.
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
  for (let i = 0; i < pattern.length; i++) {
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
 * Restricts a query to test ids (in `column`) with a prefix, a substring and/or a regular
 * expression match, case-sensitively on both dialects. Prefix and substring are literal:
 * instr() has no wildcards to escape, and comparing bytes sidesteps MySQL's space padding
 * and SQLite's ASCII-only LIKE folding. The expression goes to REGEXP, which both engines
 * evaluate in the database (libsql's own, linear-time; MariaDB's PCRE under utf8mb4_bin, so
 * case-sensitive and by character); call {@link checkTestIdFilter} first.
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
