import { parseArgs, type ParseArgsConfig } from 'node:util';
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
