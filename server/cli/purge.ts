import { GatewatchError } from '../errors.js';
import { purgeScrapedRuns } from '../scrape/purge.js';
import { switchOption, textOption, type Invocation } from '../command.js';
import { olderThanMs } from './age.js';
import { withDatabase } from './database.js';

/** `gatewatch purge --older-than AGE [--json]`: removes scraped runs older than AGE. */
export async function purge(invocation: Invocation): Promise<number> {
  const text = textOption(invocation, 'olderThan');
  if (text === undefined) {
    throw new GatewatchError('BAD_ARGUMENT', '--older-than AGE is needed (7d, 12h, 2w)');
  }
  const age = olderThanMs(text);
  const purged = await withDatabase(invocation, (db) => purgeScrapedRuns(db, age));
  invocation.io.stdout.write(
    switchOption(invocation, 'json')
      ? `${JSON.stringify(purged)}\n`
      : `gatewatch purge: ${purged.runs} scraped runs older than ${text} removed (${purged.tasks} tasks)\n`,
  );
  return 0;
}
