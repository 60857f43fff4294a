/** The committed migrations build the tables, columns and indexes the entities describe. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../server/db/orm.js';
import { backends } from '../helpers/databases.js';

interface Shape {
  columns: string[];
  indexes: string[];
}

/** Tables as the database itself reports them. */
async function introspect(db: Database, tables: string[]): Promise<Record<string, Shape>> {
  const shapes: Record<string, Shape> = {};
  for (const table of tables) {
    if (db.dialect === 'sqlite') {
      const columns = (await db.knex.raw(`pragma table_info(\`${table}\`)`)) as {
        name: string;
        notnull: number;
      }[];
      const indexes = (await db.knex.raw(`pragma index_list(\`${table}\`)`)) as {
        name: string;
        origin: string;
      }[];
      shapes[table] = {
        columns: columns.map((c) => `${c.name} ${c.notnull ? 'not null' : 'null'}`).sort(),
        indexes: indexes
          .filter((i) => i.origin !== 'pk')
          .map((i) => i.name)
          .sort(),
      };
    } else {
      const [columns] = (await db.knex.raw(
        'select column_name as name, is_nullable as nullable, collation_name as collation from information_schema.columns where table_schema = database() and table_name = ?',
        [table],
      )) as [{ name: string; nullable: string; collation: string | null }[]];
      const [indexes] = (await db.knex.raw(
        "select distinct index_name as name from information_schema.statistics where table_schema = database() and table_name = ? and index_name <> 'PRIMARY'",
        [table],
      )) as [{ name: string }[]];
      shapes[table] = {
        columns: columns
          .map(
            (c) =>
              `${c.name} ${c.nullable === 'YES' ? 'null' : 'not null'} ${c.collation ?? 'no collation'}`,
          )
          .sort(),
        indexes: indexes.map((i) => i.name).sort(),
      };
    }
  }
  return shapes;
}

describe.each(backends)('migrations on $name', (backend) => {
  const handles: Awaited<ReturnType<typeof backend.create>>[] = [];
  let migrated: Database;
  let generated: Database;
  beforeAll(async () => {
    handles.push(await backend.create(), await backend.create());
    migrated = await openDatabase(handles[0]!.target);
    generated = await openDatabase(handles[1]!.target, { migrate: false });
    await generated.orm.schema.createSchema();
  });
  afterAll(async () => {
    await migrated?.close();
    await generated?.close();
    for (const handle of handles) await handle.drop();
  });

  it('build the same tables as the entities do', async () => {
    const tables = Object.values(migrated.orm.getMetadata().getAll()).map((m) => m.tableName);
    expect(tables.length).toBeGreaterThan(5);
    expect(await introspect(migrated, tables)).toEqual(await introspect(generated, tables));
  });

  it('are recorded as applied and re-applying them does nothing', async () => {
    expect(await migrated.orm.migrator.getPendingMigrations()).toEqual([]);
    expect(await migrated.orm.migrator.up()).toEqual([]);
  });
});
