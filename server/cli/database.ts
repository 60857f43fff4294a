import { loadConfig } from '../config/config.js';
import { openDatabase, type Database, type OpenOptions } from '../db/orm.js';
import type { Invocation } from '../command.js';

/**
 * Opens the invocation's database (`--db`, else the environment…), runs `use`, always closes
 * it. A read-only command's (`CommandSpec.readOnly`) is only opened when it exists.
 */
export async function withDatabase<T>(
  invocation: Invocation,
  use: (database: Database) => Promise<T>,
  options?: OpenOptions,
): Promise<T> {
  const config = loadConfig(invocation.options, invocation.io.env);
  const database = await openDatabase(config.database.target, {
    waitTimeoutMs: config.database.waitTimeout,
    ...options,
    readOnly: invocation.readOnly === true || options?.readOnly === true,
  });
  try {
    return await use(database);
  } finally {
    await database.close();
  }
}
