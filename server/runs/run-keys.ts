/**
 * The keys a run is joined on (its Gerrit change and patch set, its CI build, project,
 * pipeline and branch), stored as columns of `runs` and read from the run's metadata. The
 * migration that added the columns (20261202164503-identifiers-run-keys) backfilled them by the same rule.
 */

/** Where each key comes from: a metadata key. */
export const RUN_KEY_SOURCES = {
  changeNumber: 'build_change',
  patchset: 'build_patchset',
  buildUuid: 'build_uuid',
  project: 'project',
  pipeline: 'build_queue',
  branch: 'build_branch',
} as const;

export interface RunKeys {
  changeNumber: number | null;
  patchset: number | null;
  buildUuid: string | null;
  project: string | null;
  pipeline: string | null;
  branch: string | null;
}

/** The largest value of a (signed 32-bit) int column. */
const INT_MAX = 2_147_483_647;

/**
 * A run's keys from its metadata: absent keys are null, and so are change and patch set
 * numbers that are not plain decimal integers of at most {@link INT_MAX}.
 */
export function runKeysOf(metadata: Readonly<Record<string, string>>): RunKeys {
  const text = (key: string) => metadata[key] ?? null;
  return {
    changeNumber: numberOf(text(RUN_KEY_SOURCES.changeNumber)),
    patchset: numberOf(text(RUN_KEY_SOURCES.patchset)),
    buildUuid: text(RUN_KEY_SOURCES.buildUuid),
    project: text(RUN_KEY_SOURCES.project),
    pipeline: text(RUN_KEY_SOURCES.pipeline),
    branch: text(RUN_KEY_SOURCES.branch),
  };
}

function numberOf(value: string | null): number | null {
  if (value === null || !/^[0-9]{1,10}$/.test(value)) return null;
  const number = Number(value);
  return number <= INT_MAX ? number : null;
}
