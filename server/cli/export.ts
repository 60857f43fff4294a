import { once } from 'node:events';
import { GatewatchError } from '../errors.js';
import { exportRun } from '../runs/run-export.js';
import { findRun } from '../runs/run.service.js';
import { dbOption, parseCommandArgs, withDatabase, type Command } from './command.js';

export const exportCommand: Command = {
  name: 'export',
  summary: 'write a run back as a subunit v2 stream on stdout',
  usage: 'gatewatch export [--db URL] RUN [--average] > run.subunit',
  async run(argv) {
    const { values, positionals } = parseCommandArgs('export', argv, {
      ...dbOption,
      average: { type: 'boolean' },
    });
    if (positionals.length !== 1) {
      throw new GatewatchError('BAD_ARGUMENT', 'export: name exactly one RUN (its uuid)');
    }
    return withDatabase(values.db, async (db) => {
      const em = db.em();
      const run = await findRun(em, positionals[0]!);
      for await (const packet of exportRun(em, run, { average: values.average })) {
        if (!process.stdout.write(packet)) await once(process.stdout, 'drain');
      }
      return 0;
    });
  },
};
