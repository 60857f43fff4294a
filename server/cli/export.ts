import { exportRun as exportPackets } from '../runs/run-export.js';
import { switchOption, type Invocation } from '../command.js';
import { withDatabase } from './database.js';
import { createOutput } from './output.js';
import { resolveRun } from './run-ref.js';

/** `gatewatch export RUN`: the run as a subunit v2 stream on stdout; stops quietly when cut off. */
export async function exportRun(invocation: Invocation): Promise<number> {
  const stdout = createOutput(invocation.io.stdout);
  return withDatabase(invocation, async (db) => {
    const run = await resolveRun(db, invocation.args[0]!, undefined);
    const average = switchOption(invocation, 'average');
    for await (const packet of exportPackets(db.em(), run, { average })) {
      // The reader has all it wanted (`| head`): that is a success.
      if (!(await stdout.write(packet))) break;
    }
    return 0;
  });
}
