import { InvalidValue, longDuration } from '../config/parsers.js';
import { GatewatchError } from '../errors.js';
import { purgeScrapedRuns } from '../scrape/purge.js';
import { switchOption, textOption, type Invocation } from '../command.js';
import { withDatabase } from './database.js';

/** `gatewatch purge --older-than AGE [--json]`: removes scraped runs older than AGE. */
export async function purge(invocation: Invocation): Promise<number> {
  const text = textOption(invocation, 'olderThan');
  if (text === undefined) {
    throw new GatewatchError('BAD_ARGUMENT', '--older-than AGE is needed (7d, 12h, 2w)');
  }
  let age: number;
  try {
    age = longDuration(text);
  } catch (error) {
    if (!(error instanceof InvalidValue)) throw error;
    throw new GatewatchError('BAD_ARGUMENT', `--older-than ${text}: ${error.why}`);
  }
  const purged = await withDatabase(invocation, (db) => purgeScrapedRuns(db, age));
  invocation.io.stdout.write(
    switchOption(invocation, 'json')
      ? `${JSON.stringify(purged)}\n`
      : `gatewatch purge: ${purged.runs} scraped runs older than ${text} removed (${purged.tasks} tasks)\n`,
  );
  return 0;
}
