import type { Knex } from '@mikro-orm/knex';
import type { Dialect } from './orm.js';

/**
 * Writes many rows in the way each dialect does fastest: on SQLite one cached prepared
 * statement per row (calls are cheap, parsing a 5,000-placeholder statement is not); on MySQL
 * multi-row statements (round trips are what cost). Values are always bound, never inlined.
 */
export interface BulkWriter {
  insert(table: string, columns: readonly string[], rows: readonly unknown[][]): Promise<void>;
  /** Inserts rows, skipping those whose `conflict` key exists. */
  insertMissing(
    table: string,
    columns: readonly string[],
    conflict: string,
    rows: readonly unknown[][],
  ): Promise<void>;
  /**
   * Inserts rows, or adds their `counters` to the existing row with the same `keys`. With
   * `rowsExist`, every row is known to exist and SQLite updates by key instead (no insert
   * attempt, no binding of the other columns).
   */
  addTo(
    table: string,
    columns: readonly string[],
    keys: readonly string[],
    counters: readonly string[],
    rows: readonly unknown[][],
    options?: { rowsExist?: boolean },
  ): Promise<void>;
  /**
   * Inserts rows, or updates the existing row with the same unique `keys`. `set` writes the SET
   * clause, given `incoming(column)`: the SQL naming the value the row would have inserted.
   * MySQL applies the assignments left to right (a later one sees an earlier one's result),
   * SQLite all at once: write each assignment in terms of columns not assigned before it.
   */
  upsert(
    table: string,
    columns: readonly string[],
    keys: readonly string[],
    set: (incoming: (column: string) => string) => string,
    rows: readonly unknown[][],
  ): Promise<void>;
  /** `keyColumn → valueColumn` of the rows whose key is among `keys`. */
  lookup(
    table: string,
    keyColumn: string,
    valueColumn: string,
    keys: readonly string[],
  ): Promise<Map<string, number>>;
}

/** Rows per multi-row statement on MySQL: well under its placeholder limit. */
const ROWS_PER_STATEMENT = 500;

/** A writer over `knex`, which may be a transaction: every statement runs inside it. */
export async function createBulkWriter(dialect: Dialect, knex: Knex): Promise<BulkWriter> {
  return dialect === 'sqlite' ? sqliteWriter(knex) : mysqlWriter(knex);
}

interface LibSqlStatement {
  run(...params: unknown[]): unknown;
  get(...params: unknown[]): Record<string, unknown> | undefined;
}

async function sqliteWriter(knex: Knex): Promise<BulkWriter> {
  // A transaction's client hands out the transaction's own connection.
  const connection = (await (
    knex as unknown as { client: { acquireConnection(): Promise<unknown> } }
  ).client.acquireConnection()) as { prepare(sql: string): LibSqlStatement };
  const statements = new Map<string, LibSqlStatement>();
  const prepared = (sql: string) => {
    let statement = statements.get(sql);
    if (!statement) statements.set(sql, (statement = connection.prepare(sql)));
    return statement;
  };
  const runEach = (sql: string, rows: readonly unknown[][]) => {
    const statement = prepared(sql);
    for (const row of rows) statement.run(...row.map(bindable));
  };
  return {
    async insert(table, columns, rows) {
      runEach(`insert into ${table} (${columns.join(', ')}) values ${tuple(columns.length)}`, rows);
    },
    async insertMissing(table, columns, conflict, rows) {
      runEach(
        `insert into ${table} (${columns.join(', ')}) values ${tuple(columns.length)} on conflict (${conflict}) do nothing`,
        rows,
      );
    },
    async addTo(table, columns, keys, counters, rows, options) {
      if (options?.rowsExist) {
        const sets = counters.map((c) => `${c} = ${c} + ?`).join(', ');
        const where = keys.map((k) => `${k} = ?`).join(' and ');
        const keyAt = keys.map((k) => columns.indexOf(k));
        const counterAt = counters.map((c) => columns.indexOf(c));
        const statement = prepared(`update ${table} set ${sets} where ${where}`);
        for (const row of rows) {
          statement.run(...counterAt.map((i) => row[i]), ...keyAt.map((i) => row[i]));
        }
        return;
      }
      runEach(
        `insert into ${table} (${columns.join(', ')}) values ${tuple(columns.length)} ${addOnConflict('sqlite', table, keys, counters)}`,
        rows,
      );
    },
    async upsert(table, columns, keys, set, rows) {
      runEach(
        `insert into ${table} (${columns.join(', ')}) values ${tuple(columns.length)} on conflict (${keys.join(', ')}) do update set ${set((c) => `excluded.${c}`)}`,
        rows,
      );
    },
    async lookup(table, keyColumn, valueColumn, keys) {
      const statement = prepared(`select ${valueColumn} as v from ${table} where ${keyColumn} = ?`);
      const found = new Map<string, number>();
      for (const key of keys) {
        const row = statement.get(key);
        if (row) found.set(key, Number(row.v));
      }
      return found;
    },
  };
}

function mysqlWriter(knex: Knex): BulkWriter {
  const runChunked = async (
    head: string,
    tail: string,
    width: number,
    rows: readonly unknown[][],
  ) => {
    for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) {
      const slice = rows.slice(i, i + ROWS_PER_STATEMENT);
      const values = Array(slice.length).fill(tuple(width)).join(', ');
      await knex.raw(
        `${head} values ${values} ${tail}`,
        slice.flat().map(bindable) as Knex.RawBinding[],
      );
    }
  };
  return {
    insert: (table, columns, rows) =>
      runChunked(`insert into ${table} (${columns.join(', ')})`, '', columns.length, rows),
    insertMissing: (table, columns, _conflict, rows) =>
      runChunked(`insert ignore into ${table} (${columns.join(', ')})`, '', columns.length, rows),
    addTo: (table, columns, keys, counters, rows) =>
      runChunked(
        `insert into ${table} (${columns.join(', ')})`,
        addOnConflict('mysql', table, keys, counters),
        columns.length,
        rows,
      ),
    upsert: (table, columns, _keys, set, rows) =>
      runChunked(
        `insert into ${table} (${columns.join(', ')})`,
        `on duplicate key update ${set((c) => `values(${c})`)}`,
        columns.length,
        rows,
      ),
    async lookup(table, keyColumn, valueColumn, keys) {
      const found = new Map<string, number>();
      for (let i = 0; i < keys.length; i += ROWS_PER_STATEMENT) {
        const rows: Record<string, unknown>[] = await knex(table)
          .select({ k: keyColumn, v: valueColumn })
          .whereIn(keyColumn, keys.slice(i, i + ROWS_PER_STATEMENT));
        for (const row of rows) found.set(String(row.k), Number(row.v));
      }
      return found;
    },
  };
}

function tuple(width: number): string {
  return `(${Array(width).fill('?').join(', ')})`;
}

/** Drivers bind bytes as blobs only when they are Buffers (mysql2 takes others for lists). */
function bindable(value: unknown): unknown {
  return value instanceof Uint8Array && !Buffer.isBuffer(value)
    ? Buffer.from(value.buffer, value.byteOffset, value.byteLength)
    : value;
}

/**
 * The conflict clause of an INSERT that adds its values to an existing row's counters
 * instead of failing: how rollups and aggregates are maintained in one statement.
 */
function addOnConflict(
  dialect: Dialect,
  table: string,
  keys: readonly string[],
  counters: readonly string[],
): string {
  if (dialect === 'sqlite') {
    const sets = counters.map((c) => `${c} = ${table}.${c} + excluded.${c}`);
    return `on conflict (${keys.join(', ')}) do update set ${sets.join(', ')}`;
  }
  const sets = counters.map((c) => `${c} = ${table}.${c} + values(${c})`);
  return `on duplicate key update ${sets.join(', ')}`;
}
