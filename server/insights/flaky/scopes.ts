/**
 * The scopes a test's verdicts are kept on: a job, project, branch or queue (pipeline), named
 * `KIND:VALUE` (`job:tempest-full`) as the runs' columns hold the value.
 */
import type { ScopeKind } from '../../config/parsers.js';

/** The `runs` column each scope kind is read from. */
export const SCOPE_COLUMNS: Readonly<Record<ScopeKind, string>> = {
  job: 'build_name',
  project: 'project',
  branch: 'branch',
  queue: 'pipeline',
};

export interface Scope {
  kind: ScopeKind;
  value: string;
  /** `KIND:VALUE`, as stored and as the outside world is told. */
  name: string;
}

/** The run's keys a scope may be read from. */
export interface ScopedRun {
  buildName: string | null;
  project: string | null;
  branch: string | null;
  pipeline: string | null;
}

const RUN_KEY_OF: Readonly<Record<ScopeKind, keyof ScopedRun>> = {
  job: 'buildName',
  project: 'project',
  branch: 'branch',
  queue: 'pipeline',
};

export function scopeOf(kind: ScopeKind, value: string): Scope {
  return { kind, value, name: `${kind}:${value}` };
}

/** The scopes of `kinds` the run belongs to (a run without a project has no project scope). */
export function scopesOfRun(run: ScopedRun, kinds: readonly ScopeKind[]): Scope[] {
  return kinds.flatMap((kind) => {
    const value = run[RUN_KEY_OF[kind]];
    return value === null ? [] : [scopeOf(kind, value)];
  });
}

/** A stored scope name back into its parts. */
export function parseScope(name: string): Scope {
  const at = name.indexOf(':');
  return scopeOf(name.slice(0, at) as ScopeKind, name.slice(at + 1));
}
