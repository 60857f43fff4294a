/**
 * Developer tool: writes a migration for each dialect from the difference between the
 * entities and the schema the existing migrations build.
 * `npx tsx server/db/make-migration.ts NAME` (needs MariaDB at GATEWATCH_MIGRATION_MYSQL,
 * default mysql://root@127.0.0.1:3306/gatewatch_migrations, which it drops and recreates).
 * MikroORM stamps each file with the second it was written, so the two may differ by one:
 * give both the same name (file and class), then list it in `migrations/{sqlite,mysql}/index.ts`.
 */
import { MikroORM } from '@mikro-orm/core';
import { parseDbUrl } from '../config/config.js';
import { ormOptions } from './orm.js';

const name = process.argv[2];
if (!name) throw new Error('usage: make-migration NAME');
const mysqlUrl =
  process.env.GATEWATCH_MIGRATION_MYSQL ?? 'mysql://root@127.0.0.1:3306/gatewatch_migrations';

for (const [dialect, url] of [
  ['sqlite', 'sqlite::memory:'],
  ['mysql', mysqlUrl],
] as const) {
  const target = parseDbUrl(url);
  const options = await ormOptions(target);
  const path = new URL(`./migrations/${dialect}`, import.meta.url).pathname;
  const orm = await MikroORM.init({
    ...options,
    migrations: { ...options.migrations, path, emit: 'ts', fileName: (ts) => `${ts}-${name}` },
  });
  if (dialect === 'mysql') {
    await orm.schema.dropDatabase(target.dialect === 'mysql' ? target.dbName : '');
    await orm.schema.ensureDatabase();
  }
  await orm.migrator.up();
  const result = await orm.migrator.createMigration(path, false, false, name);
  console.log(dialect, result.fileName || 'no changes');
  await orm.close(true);
}
