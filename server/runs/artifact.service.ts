/** Reads of a run's original files and dstat recording. */
import type { Knex } from '@mikro-orm/knex';
import { groupBy } from '../db/rows.js';
import type { Artifact, Dstat, DstatSeries } from './artifact.type.js';

interface ArtifactRow {
  id: number;
  kind: string;
  name: string;
  content_type: string;
  encoding: string;
  size: number | string;
  stored_size: number | string;
  sha256: string;
}

/** The artifacts of runs, by run row id. */
export async function artifactsByRunId(
  knex: Knex,
  runRowIds: readonly number[],
): Promise<Map<number, Artifact[]>> {
  const rows: (ArtifactRow & { run_id: number })[] = await knex('artifacts')
    .whereIn('run_id', runRowIds)
    .orderBy('id');
  return groupBy(
    rows,
    (row) => row.run_id,
    (row) => ({
      id: String(row.id),
      kind: row.kind,
      name: row.name,
      contentType: row.content_type,
      encoding: row.encoding,
      size: Number(row.size),
      storedSize: Number(row.stored_size),
      sha256: row.sha256,
      url: `/blob/${row.id}`,
    }),
  );
}

/** JSON columns come back parsed from MySQL and as text from SQLite. */
function json<T>(value: unknown): T {
  return (typeof value === 'string' ? JSON.parse(value) : value) as T;
}

/** The dstat recordings of runs, by run row id. */
export async function dstatsByRunId(
  knex: Knex,
  runRowIds: readonly number[],
): Promise<Map<number, Dstat>> {
  const rows = await knex('dstats').whereIn('run_id', runRowIds);
  const ms = (v: unknown) => (v === null ? null : new Date(Number(v)));
  return new Map(
    rows.map((row) => [
      row.run_id as number,
      {
        dstatRowId: row.id,
        producer: row.producer,
        host: row.host,
        samples: row.samples,
        start: ms(row.start_ms),
        stop: ms(row.stop_ms),
        times: json<number[]>(row.times),
      },
    ]),
  );
}

/** Columns of a recording, all or those named. */
export async function dstatSeries(
  knex: Knex,
  dstatRowId: number,
  keys: readonly string[] | null | undefined,
): Promise<DstatSeries[]> {
  return (await dstatSeriesByDstatId(knex, [dstatRowId], keys)).get(dstatRowId) ?? [];
}

/** Columns of several recordings, all or those named, by dstat row id. */
export async function dstatSeriesByDstatId(
  knex: Knex,
  dstatRowIds: readonly number[],
  keys: readonly string[] | null | undefined,
): Promise<Map<number, DstatSeries[]>> {
  const query = knex('dstat_series')
    .select('dstat_id', 'key', 'values')
    .whereIn('dstat_id', dstatRowIds);
  if (keys) query.whereIn('key', keys);
  const rows: { dstat_id: number; key: string; values: unknown }[] = await query.orderBy('id');
  return groupBy(
    rows,
    (row) => row.dstat_id,
    (row) => ({ key: row.key, values: json<(number | null)[]>(row.values) }),
  );
}

/** The column names of a recording. */
export async function dstatKeys(knex: Knex, dstatRowId: number): Promise<string[]> {
  const rows: { key: string }[] = await knex('dstat_series')
    .select('key')
    .where('dstat_id', dstatRowId)
    .orderBy('id');
  return rows.map((row) => row.key);
}
