import { loadConfig } from '../config/config.js';
import { openDatabase, type Database, type OpenOptions } from '../db/orm.js';
import type { Invocation } from '../command.js';

/** Opens the invocation's database (`--db`, else the environment…), runs `use`, always closes it. */
export async function withDatabase<T>(
  invocation: Invocation,
  use: (database: Database) => Promise<T>,
  options?: OpenOptions,
): Promise<T> {
  const config = loadConfig(invocation.options, invocation.io.env);
  const database = await openDatabase(config.database.target, options);
  try {
    return await use(database);
  } finally {
    await database.close();
  }
}
