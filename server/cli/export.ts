import { once } from 'node:events';
import { exportRun as exportPackets } from '../runs/run-export.js';
import { findRun } from '../runs/run.service.js';
import { switchOption, type Invocation } from '../command.js';
import { withDatabase } from './database.js';

/** `gatewatch export RUN`: the run as a subunit v2 stream on stdout. */
export async function exportRun(invocation: Invocation): Promise<number> {
  const { stdout } = invocation.io;
  return withDatabase(invocation, async (db) => {
    const em = db.em();
    const run = await findRun(em, invocation.args[0]!);
    const average = switchOption(invocation, 'average');
    for await (const packet of exportPackets(em, run, { average })) {
      if (!stdout.write(packet)) await once(stdout, 'drain');
    }
    return 0;
  });
}
