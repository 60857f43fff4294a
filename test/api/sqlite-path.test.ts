/**
 * A relative SQLite path is resolved once, when the settings are read: a server whose working
 * directory changes later, and any connection it opens again, keep using the same file.
 */
import { createReadStream, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../server/app.js';
import { loadConfig } from '../../server/config/config.js';
import { openDatabase } from '../../server/db/orm.js';
import { FIXTURES } from '../helpers/server.js';

const home = process.cwd();
let app: App | undefined;
afterEach(async () => {
  process.chdir(home);
  await app?.close();
  app = undefined;
});

describe('a relative SQLite path', () => {
  it('names the same file after the working directory changes', async () => {
    const first = mkdtempSync(join(tmpdir(), 'gatewatch-cwd-'));
    const later = mkdtempSync(join(tmpdir(), 'gatewatch-cwd-'));
    process.chdir(first);
    const config = loadConfig({ db: 'sqlite:data/gatewatch.db', port: '0' }, {});
    app = await createApp(config);
    await app.services.ingest.ingest({
      name: 'stestr-failure.subunit',
      source: createReadStream(`${FIXTURES}subunit/stestr-failure.subunit`),
      metadata: { build_name: 'gate-cwd' },
    });

    process.chdir(later);
    const response = await fetch(`${app.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ runs(filter: { job: "gate-cwd" }) { totalCount } }' }),
    });
    expect(await response.json()).toEqual({ data: { runs: { totalCount: 1 } } });
    // What opens the database from these settings now (a new connection, another part of the
    // process) finds the same file.
    const again = await openDatabase(config.database.target);
    try {
      expect(await again.knex('runs').count({ n: '*' })).toEqual([{ n: 1 }]);
    } finally {
      await again.close();
    }
    expect(readdirSync(later)).toEqual([]);
    expect(readdirSync(join(first, 'data'))).toContain('gatewatch.db');
  });
});
