// First: the GraphQL types the services share need the decorator metadata polyfill.
import 'reflect-metadata';
import { rename, rm, writeFile } from 'node:fs/promises';
import { loadConfig } from '../config/config.js';
import { meanDurations } from '../insights/timings/timings.service.js';
import { timingsStream } from '../insights/timings/timings-stream.js';
import { GatewatchError } from '../errors.js';
import { textOption, type Invocation } from '../command.js';
import { withDatabase } from './database.js';
import { createOutput } from './output.js';
import { parseSince } from './runs.js';

/**
 * `gatewatch timings [--job J] [--since D] [--output FILE]`: each test's mean successful
 * duration as a subunit v2 stream for `stestr load`, on stdout or into FILE (written whole or
 * not at all).
 */
export async function timings(invocation: Invocation): Promise<number> {
  const { timings: limits } = loadConfig(invocation.options, invocation.io.env);
  const since = textOption(invocation, 'since');
  const filter = {
    job: textOption(invocation, 'job'),
    since: since === undefined ? undefined : parseSince(since, new Date()),
  };
  const output = textOption(invocation, 'output');
  return withDatabase(invocation, async (db) => {
    const { tests, cut } = await meanDurations(db, filter, limits, limits.maxTests);
    if (cut) {
      invocation.io.stderr.write(
        `gatewatch timings: wrote the ${tests.length} slowest tests only (timings.maxTests)\n`,
      );
    }
    const packets = timingsStream(tests, new Date());
    if (output !== undefined) {
      const partial = `${output}.partial`;
      try {
        await writeFile(partial, packets);
        await rename(partial, output);
      } catch (error) {
        await rm(partial, { force: true });
        const reason = error instanceof Error ? error.message : String(error);
        throw new GatewatchError('BAD_ARGUMENT', `--output ${output}: cannot write it: ${reason}`);
      }
      return 0;
    }
    const stdout = createOutput(invocation.io.stdout);
    for (const packet of packets) {
      // The reader has all it wanted (`| head -c`): that is a success.
      if (!(await stdout.write(packet))) break;
    }
    return 0;
  });
}
