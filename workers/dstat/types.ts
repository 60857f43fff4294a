/**
 * A dstat CSV as columns: `times[i]` is the epoch time in milliseconds of sample i and
 * `columns[key][i]` its value (null where a sample lacks that column, e.g. across header
 * blocks with different column sets). Keys are `group_column`, spaces and slashes as `_`.
 */
export interface DstatSeries {
  /** The producer's banner, e.g. `Dstat 0.8.0` or `pcp-dstat 5.0.3`. */
  producer: string | null;
  host: string | null;
  cmdline: string | null;
  times: number[];
  columns: Record<string, (number | null)[]>;
}
