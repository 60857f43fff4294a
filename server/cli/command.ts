import { parseArgs, type ParseArgsConfig } from 'node:util';
import { loadConfig } from '../config.js';
import { openDatabase, type Database, type OpenOptions } from '../db/orm.js';
import { GatewatchError } from '../errors.js';

/** A `gatewatch` sub-command. `run` resolves to the process exit status. */
export interface Command {
  name: string;
  summary: string;
  usage: string;
  run(argv: string[]): Promise<number>;
}

type Options = NonNullable<ParseArgsConfig['options']>;

/** The `--db` flag every database command takes. */
export const dbOption = { db: { type: 'string' } } as const satisfies Options;

/** `parseArgs` whose errors name the command and say what to do. */
export function parseCommandArgs<O extends Options>(command: string, argv: string[], options: O) {
  try {
    return parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    throw new GatewatchError(
      'BAD_ARGUMENT',
      `${command}: ${why} (see gatewatch ${command} --help)`,
    );
  }
}

/** Opens the database named by `--db` (else the environment), runs `use`, always closes it. */
export async function withDatabase<T>(
  db: string | undefined,
  use: (database: Database) => Promise<T>,
  options?: OpenOptions,
): Promise<T> {
  const database = await openDatabase(loadConfig({ db }).db, options);
  try {
    return await use(database);
  } finally {
    await database.close();
  }
}
