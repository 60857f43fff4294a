/**
 * How commands open their database: the ones that only read (`readOnly` on their spec) never
 * create one, its folders or (MariaDB) the database itself; a database that cannot be opened
 * ends any command with DB_UNAVAILABLE's exit status and one line naming it.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createConnection } from 'mysql2/promise';
import { describe, expect, it } from 'vitest';
import type { CommandSpec } from '../../server/command.js';
import { COMMANDS } from '../../server/commands.js';
import { errorCatalogue } from '../../server/errors.js';
import { gatewatch } from '../helpers/cli.js';
import { backends } from '../helpers/databases.js';
import { byHandWithout } from '../helpers/redis.js';

const UNAVAILABLE = errorCatalogue.DB_UNAVAILABLE.exit;

/** Every runnable command with its words (`token list`). */
function leaves(specs: readonly CommandSpec[], path: string[] = []): [string[], CommandSpec][] {
  return specs.flatMap((spec) => [
    ...(spec.run ? [[[...path, spec.name], spec] as [string[], CommandSpec]] : []),
    ...leaves(spec.subcommands ?? [], [...path, spec.name]),
  ]);
}

/** The read-only commands, each with a made-up value for every argument. */
const READ_ONLY = leaves(COMMANDS)
  .filter(([, spec]) => spec.readOnly === true)
  .map(([words, spec]) => [...words, ...(spec.arguments ?? []).map(() => 'abcd')]);

describe('read-only commands', () => {
  it('are the commands that only read', () => {
    const names = READ_ONLY.map((argv) => argv.filter((word) => word !== 'abcd').join(' '));
    expect(names).toEqual(expect.arrayContaining(['show', 'export', 'token list']));
    for (const writer of ['serve', 'ingest', 'migrate', 'token create', 'token revoke']) {
      expect(names).not.toContain(writer);
    }
  });

  it('never create a SQLite file or its folders', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gatewatch-readonly-'));
    const path = join(dir, 'not', 'yet', 'gatewatch.db');
    for (const argv of READ_ONLY) {
      const result = await gatewatch([...argv, '--db', `sqlite:${path}`]);
      expect(result.code, argv.join(' ')).toBe(UNAVAILABLE);
      expect(result.stderr).toBe(
        `gatewatch ${argv.filter((w) => w !== 'abcd').join(' ')}: cannot open sqlite:${path}: ` +
          'no such file (a command that only reads creates none: gatewatch migrate does)\n',
      );
      expect(result.out).toBe('');
    }
    expect(readdirSync(dir)).toEqual([]);
  });

  it('open a SQLite database that exists, as any command does', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gatewatch-readonly-'));
    const db = `sqlite:${join(dir, 'gatewatch.db')}`;
    expect((await gatewatch(['migrate', '--db', db])).code).toBe(0);
    expect(await gatewatch(['token', 'list', '--db', db])).toMatchObject({
      code: 0,
      out: 'no tokens (gatewatch token create NAME makes one)\n',
    });
  });

  it.skipIf(byHandWithout(!backends.some((b) => b.name === 'mariadb')))(
    'never create a MariaDB database',
    async () => {
      const mariadb = backends.find((b) => b.name === 'mariadb')!;
      const { url, target, drop } = await mariadb.create();
      if (target.dialect !== 'mysql') throw new Error('not a MariaDB target');
      try {
        for (const argv of READ_ONLY) {
          const result = await gatewatch([...argv, '--db', url]);
          expect(result.code, argv.join(' ')).toBe(UNAVAILABLE);
          expect(result.stderr).toContain(`Unknown database '${target.dbName}'`);
        }
        const connection = await createConnection({
          host: target.host,
          port: target.port,
          user: target.user,
          password: target.password,
        });
        try {
          const [rows] = await connection.query('show databases like ?', [target.dbName]);
          expect(rows).toEqual([]);
        } finally {
          await connection.end();
        }
      } finally {
        await drop();
      }
    },
  );
});

describe('a database that cannot be opened', () => {
  it('ends a command with DB_UNAVAILABLE and one line naming it and why', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gatewatch-unopenable-'));
    writeFileSync(join(dir, 'notes.txt'), 'not a database, but long enough to have a header\n');
    writeFileSync(join(dir, 'plain-file'), '');
    mkdirSync(join(dir, 'folder.db'));
    const cases: [string, string][] = [
      [`sqlite:${join(dir, 'notes.txt')}`, 'not a SQLite database'],
      [`sqlite:${join(dir, 'plain-file', 'gatewatch.db')}`, 'a folder of its path is a file'],
      [`sqlite:${join(dir, 'folder.db')}`, 'not a file'],
      // Nothing can be created in /proc, not even by root.
      ['sqlite:/proc/gatewatch.db', 'Unable to open'],
      // A port nothing listens on: the MariaDB server is down.
      [`mysql://root@127.0.0.1:1/gw_${randomBytes(4).toString('hex')}`, 'ECONNREFUSED'],
    ];
    for (const [db, why] of cases) {
      const result = await gatewatch(['token', 'create', 'ci', '--db', db]);
      expect(result.code, db).toBe(UNAVAILABLE);
      expect(result.stderr, db).toMatch(
        new RegExp(`^gatewatch token create: cannot open ${escape(db)}: .*${escape(why)}.*\\n$`),
      );
      expect(result.out).toBe('');
    }
    // Nothing was created beside the unopenable ones.
    expect(readdirSync(dir).sort()).toEqual(['folder.db', 'notes.txt', 'plain-file']);
    expect(existsSync('/proc/gatewatch.db')).toBe(false);
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
