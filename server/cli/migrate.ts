import { describeDb, loadConfig } from '../config.js';
import { openDatabase } from '../db/orm.js';
import { dbOption, parseCommandArgs, type Command } from './command.js';

export const migrate: Command = {
  name: 'migrate',
  summary: 'create or upgrade the database schema',
  usage: 'gatewatch migrate [--db URL]',
  async run(argv) {
    const { values } = parseCommandArgs('migrate', argv, dbOption);
    const config = loadConfig({ db: values.db });
    const db = await openDatabase(config.db, { migrate: false });
    try {
      const applied = await db.orm.migrator.up();
      const executed = await db.orm.migrator.getExecutedMigrations();
      for (const m of applied) console.log(`applied ${m.name}`);
      console.log(
        `${describeDb(config.db)} is up to date (${executed.length} migration${executed.length === 1 ? '' : 's'})`,
      );
      return 0;
    } finally {
      await db.close();
    }
  },
};
