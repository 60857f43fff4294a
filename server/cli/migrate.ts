import { describeDb, loadConfig } from '../config/config.js';
import { openDatabase } from '../db/orm.js';
import type { Invocation } from '../command.js';

/** `gatewatch migrate`: applies pending migrations and says what it did. */
export async function migrate({ options, io }: Invocation): Promise<number> {
  const target = loadConfig(options, io.env).database.target;
  const db = await openDatabase(target, { migrate: false });
  try {
    const applied = await db.orm.migrator.up();
    const executed = await db.orm.migrator.getExecutedMigrations();
    for (const m of applied) io.stdout.write(`applied ${m.name}\n`);
    io.stdout.write(
      `${describeDb(target)} is up to date (${executed.length} migration${executed.length === 1 ? '' : 's'})\n`,
    );
    return 0;
  } finally {
    await db.close();
  }
}
