import type { Run } from '../db/entities/index.js';
import type { Database } from '../db/orm.js';
import { GatewatchError } from '../errors.js';
import { findRun, listRuns } from '../runs/run.service.js';

/** The word that names the newest run, as in `stestr last`. */
export const LAST = 'last';

/**
 * The run a command names: `last` (the newest run, of `job` when given) or a uuid or its first
 * 4+ characters. `job` only narrows `last`.
 */
export async function resolveRun(db: Database, ref: string, job: string | undefined): Promise<Run> {
  if (ref !== LAST) {
    if (job !== undefined) {
      throw new GatewatchError('BAD_ARGUMENT', `--job goes with "${LAST}", not with a run id`);
    }
    return findRun(db.em(), ref);
  }
  const [newest] = (await listRuns(db, job === undefined ? undefined : { job }, { first: 1 }))
    .nodes;
  if (!newest) {
    throw new GatewatchError(
      'RUN_NOT_FOUND',
      job === undefined ? 'no run is stored yet' : `no run of job "${job}" is stored`,
    );
  }
  return findRun(db.em(), newest.id);
}
