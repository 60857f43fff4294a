/**
 * The link between a CI build and an ingested run: a build whose log URL is the run's artifacts
 * URL (trailing slashes aside) belongs to that run. Both sides store the URL's key, so whichever
 * arrives second finds the other by an index.
 */
import { createHash } from 'node:crypto';
import type { Knex } from '@mikro-orm/knex';

/** sha256 (hex) of a log or artifacts URL without its trailing slashes. */
export function logKey(url: string): string {
  return createHash('sha256').update(url.replace(/\/+$/, '')).digest('hex');
}

/**
 * Records a newly stored run's artifacts URL and links the builds already reported with that
 * log URL to it. Does nothing for a run without one.
 */
export async function linkRun(
  knex: Knex,
  runId: number,
  artifactsUrl: string | null,
): Promise<void> {
  if (artifactsUrl === null || artifactsUrl.trim() === '') return;
  const key = logKey(artifactsUrl);
  await knex.transaction(async (trx) => {
    await trx('run_log_keys').insert({ run_id: runId, log_key: key }).onConflict('run_id').ignore();
    await trx('ci_builds').where('log_key', key).whereNull('run_id').update({ run_id: runId });
  });
}

/** The run of each log key among `keys` (the newest run when several share a URL). */
export async function runsByLogKey(
  knex: Knex,
  keys: readonly string[],
): Promise<Map<string, number>> {
  const found = new Map<string, number>();
  const unique = [...new Set(keys)];
  for (let i = 0; i < unique.length; i += 500) {
    const rows: { log_key: string; run_id: number }[] = await knex('run_log_keys')
      .select('log_key', 'run_id')
      .whereIn('log_key', unique.slice(i, i + 500))
      .orderBy('run_id');
    for (const row of rows) found.set(row.log_key, Number(row.run_id));
  }
  return found;
}

/**
 * Records the keys of runs stored before the Gerrit side existed (or by a version without it),
 * so that builds find them; links nothing by itself. Returns how many were added.
 */
export async function backfillRunLogKeys(knex: Knex): Promise<number> {
  const rows: { id: number; artifacts_url: string }[] = await knex('runs as r')
    .leftJoin('run_log_keys as k', 'k.run_id', 'r.id')
    .whereNotNull('r.artifacts_url')
    .whereNull('k.run_id')
    .select('r.id', 'r.artifacts_url');
  const keyed = rows.filter((r) => r.artifacts_url.trim() !== '');
  for (let i = 0; i < keyed.length; i += 500) {
    await knex('run_log_keys')
      .insert(
        keyed.slice(i, i + 500).map((r) => ({ run_id: r.id, log_key: logKey(r.artifacts_url) })),
      )
      .onConflict('run_id')
      .ignore();
  }
  return keyed.length;
}
