/**
 * `--project` patterns: a name, a glob with `*`, or a `^regex` (as Gerrit's own `project:^…`).
 * One compiled filter serves the events and the REST query.
 */
import { GatewatchError } from '../errors.js';

export interface ProjectFilter {
  /** The patterns as given; empty: every project. */
  readonly patterns: readonly string[];
  matches(project: string): boolean;
  /** The REST query's `(project:… OR …)` term; empty for every project. */
  queryTerm(): string;
}

export function projectFilter(patterns: readonly string[]): ProjectFilter {
  const compiled = patterns.map((pattern) => {
    const source = regexSource(pattern);
    return { pattern, source, regex: new RegExp(source) };
  });
  return {
    patterns,
    matches: (project) =>
      compiled.length === 0 || compiled.some(({ regex }) => regex.test(project)),
    queryTerm() {
      if (compiled.length === 0) return '';
      const terms = compiled.map(({ pattern, source }) =>
        pattern.startsWith('^') || pattern.includes('*')
          ? `project:${quote(source)}`
          : `project:${quote(pattern)}`,
      );
      return terms.length === 1 ? terms[0]! : `(${terms.join(' OR ')})`;
    },
  };
}

/** The anchored regular expression a pattern stands for. */
function regexSource(pattern: string): string {
  if (pattern.trim() === '') {
    throw new GatewatchError('BAD_CONFIG', '--project "": empty (a name, a glob or a ^regex)');
  }
  if (pattern.startsWith('^')) {
    const source = pattern.endsWith('$') ? pattern : `${pattern}$`;
    try {
      new RegExp(source);
      return source;
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error);
      throw new GatewatchError(
        'BAD_CONFIG',
        `--project ${pattern}: not a regular expression (${why})`,
      );
    }
  }
  const body = pattern
    .split('*')
    .map((part) => part.replace(/[\\^$.|+?()[\]{}]/g, '\\$&'))
    .join('.*');
  return `^${body}$`;
}

/** Quotes a query value that holds characters Gerrit's query parser splits on. */
function quote(value: string): string {
  return /^[\w./^$*+-]+$/.test(value) ? value : `"${value.replace(/["\\]/g, '\\$&')}"`;
}
