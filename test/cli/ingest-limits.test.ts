/**
 * `gatewatch ingest` of local files under the ingest settings (issue 14, defect 4): a file
 * that expands past GATEWATCH_MAX_EXPANDED is refused with the catalogue's exit status and
 * nothing stored, on each backend; more concurrent ingests than the MySQL pool can hold are a
 * configuration mistake, refused before anything is opened.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { errorCatalogue } from '../../server/errors.js';
import { openDatabase } from '../../server/db/orm.js';
import { gatewatch } from '../helpers/cli.js';
import { backends } from '../helpers/databases.js';
import { FIXTURES } from '../helpers/server.js';

const scratch = mkdtempSync(join(tmpdir(), 'gatewatch-ingest-limits-'));
const fixture = (name: string) => readFileSync(join(FIXTURES, 'subunit', name));

describe.each(backends)('gatewatch ingest within the expanded-size limit on $name', (backend) => {
  const drops: (() => Promise<void>)[] = [];
  afterEach(async () => {
    await Promise.all(drops.splice(0).map((drop) => drop()));
  });

  it('refuses a file that expands past the limit, naming it, and stores nothing', async () => {
    const database = await backend.create();
    drops.push(database.drop);
    const bomb = join(scratch, `${backend.name}-bomb.subunit.gz`);
    writeFileSync(
      bomb,
      Buffer.concat([
        gzipSync(fixture('stestr-failure.subunit')),
        gzipSync(Buffer.alloc(64 << 20)),
      ]),
    );
    const fine = join(scratch, `${backend.name}-fine.subunit.gz`);
    writeFileSync(fine, gzipSync(fixture('stestr-successful.subunit')));
    const env = { GATEWATCH_MAX_EXPANDED: '1MiB' };

    const refused = await gatewatch(['ingest', '--db', database.url, bomb], { env });
    expect(refused.code).toBe(errorCatalogue.TOO_LARGE.exit);
    expect(refused.stderr).toBe(
      `gatewatch ingest: ${bomb}: the stream is larger than ${1 << 20} bytes once decompressed (GATEWATCH_MAX_EXPANDED)\n`,
    );
    expect(refused.out).toBe('');
    const stored = await gatewatch(['ingest', '--db', database.url, '--json', fine], { env });
    expect(stored.code).toBe(0);

    const db = await openDatabase(database.target, { migrate: false });
    try {
      const runs = await db.knex('runs').select('uuid');
      expect(runs.map((r: { uuid: string }) => r.uuid)).toEqual([JSON.parse(stored.out).run]);
    } finally {
      await db.close();
    }
  });
});

describe('gatewatch ingest concurrency on MySQL', () => {
  it('refuses more concurrent ingests than the pool can serve, before connecting', async () => {
    const path = join(scratch, 'any.subunit');
    writeFileSync(path, fixture('stestr-successful.subunit'));
    // Port 1: nothing listens there, and nothing is asked of it.
    const result = await gatewatch(['ingest', '--db', 'mysql://root@127.0.0.1:1/never', path], {
      env: { GATEWATCH_MAX_INGESTS: '7' },
    });
    expect(result.code).toBe(errorCatalogue.BAD_CONFIG.exit);
    expect(result.stderr).toContain(
      'GATEWATCH_MAX_INGESTS is 7: at most 6 on MySQL, whose pool has 8 connections',
    );
  });
});
