/**
 * Settings: precedence (flag > environment > config file > default), JSON and YAML config
 * files, every kind of mistake named as the user wrote it, and the README's table.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/config/config.js';
import { settingsTable } from '../../server/config/settings.js';
import { gatewatch } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'gatewatch-config-'));

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

/** The defaults of the insights' sections, the same in every expected config below. */
const INSIGHTS_DEFAULTS = {
  timings: { maxTests: 100_000, window: 30 * 86_400_000, maxWindow: 90 * 86_400_000 },
  resources: {
    columns: [
      'total_cpu_usage_usr',
      'total_cpu_usage_sys',
      'total_cpu_usage_wai',
      'memory_usage_used',
      'dsk_total_read',
      'dsk_total_writ',
      'load_avg_1m',
    ],
    threshold: 3.5,
    minSamples: 10,
    minSpread: 0.05,
  },
};

const WEBHOOK_DEFAULTS = {
  urls: null,
  secret: null,
  timeout: 10_000,
  maxAttempts: 8,
  backoff: 10_000,
  maxBodyBytes: 64 << 10,
  concurrency: 4,
  publicOnly: false,
  retention: 7 * 86_400_000,
};

/** The sections after scrape's, the same in every expected config below. */
const LATER_SECTIONS_DEFAULTS = {
  retention: { expireAfter: 0, expireBatch: 50, expirePause: 1000 },
  flaky: {
    scopes: ['job', 'project', 'branch', 'queue'],
    window: 14 * 86_400_000,
    windowRuns: 100,
    transitionRate: 0.3,
    minRuns: 10,
    brokenRuns: 3,
    fixedAfter: 7 * 86_400_000,
    sweepEvery: 3_600_000,
    maxPage: 200,
  },
  ...INSIGHTS_DEFAULTS,
  webhooks: WEBHOOK_DEFAULTS,
  signatures: {
    tracebackBytes: 64 << 10,
    maxPattern: 500,
    maxRules: 200,
    matchTimeout: 50,
    backfill: 100_000,
    imprecisePercent: 10,
    staleAfter: 30 * 86_400_000,
  },
};

describe('loadConfig', () => {
  it('gives the defaults, frozen, by section', () => {
    const config = loadConfig({}, {});
    expect(config).toEqual({
      // A relative path is resolved now, against the working directory.
      database: {
        target: { dialect: 'sqlite', path: resolve('gatewatch.db') },
        waitTimeout: 60_000,
        maxIngests: 4,
      },
      server: {
        port: 4000,
        host: '127.0.0.1',
        maxUploadBytes: 512 * 2 ** 20,
        maxUploadDstatBytes: 64 << 20,
        maxExpandedBytes: 2 * 2 ** 30,
        uploadIdleTimeout: 30_000,
        uploadDir: null,
        baseUrl: null,
        trustProxy: false,
        maxQueryDepth: 12,
        maxQueryCost: 50000,
        maxQueryAliases: 100,
        maxQueryFields: 1000,
        maxQueryTokens: 10000,
        maxWsMessageBytes: 1 << 20,
        maxSubscriptions: 100,
        maxSocketsPerAddress: 100,
        dev: false,
      },
      redis: { url: null, prefix: 'gatewatch' },
      scrape: {
        allowHosts: null,
        maxStreamBytes: 64 << 20,
        maxFileBytes: 64 << 20,
        maxExpandedBytes: 512 << 20,
        timeout: 300_000,
        idleTimeout: 30_000,
        maxPages: 2,
        concurrency: 2,
        maxAttempts: 3,
        retryDelay: 10_000,
        lease: 30_000,
        retention: 7 * 86_400_000,
        publicScrape: false,
        publicRateLimit: 10,
      },
      ...LATER_SECTIONS_DEFAULTS,
    });
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.server)).toBe(true);
    expect(loadConfig({}, { NODE_ENV: 'development' }).server.dev).toBe(true);
    expect(loadConfig({}, { NODE_ENV: 'development', GATEWATCH_DEV: '0' }).server.dev).toBe(false);
  });

  it('takes a flag over the environment over the config file over the default', () => {
    const yaml = file('precedence.yaml', 'server:\n  port: 5000\n  host: file.example\n');
    const env = { GATEWATCH_CONFIG: yaml, GATEWATCH_PORT: '6000' };
    expect(loadConfig({ port: '7000' }, env).server).toMatchObject({
      port: 7000,
      host: 'file.example',
    });
    expect(loadConfig({}, env).server.port).toBe(6000);
    expect(loadConfig({}, { GATEWATCH_CONFIG: yaml }).server.port).toBe(5000);
    // --config wins over GATEWATCH_CONFIG.
    const json = file('other.json', '{"server": {"port": 5001}}');
    expect(loadConfig({ config: json }, { GATEWATCH_CONFIG: yaml }).server.port).toBe(5001);
  });

  it('reads durations in milliseconds, seconds, minutes or hours, bare numbers as seconds', () => {
    const idle = (text: string) =>
      loadConfig({}, { GATEWATCH_UPLOAD_IDLE_TIMEOUT: text }).server.uploadIdleTimeout;
    expect(['500ms', '30s', '1.5', '2m', '1h'].map(idle)).toEqual([
      500, 30_000, 1500, 120_000, 3_600_000,
    ]);
    for (const bad of ['0', '0.1ms', '-1s', '3d', '30 days', '600h']) {
      expect(() => idle(bad), bad).toThrow(`GATEWATCH_UPLOAD_IDLE_TIMEOUT=${bad}: not a duration`);
    }
  });

  it('reads JSON and YAML files, by extension or content', () => {
    const settings = {
      database: { url: 'mysql://gw:pw@db.example:3307/gatewatch' },
      server: { port: 8080, maxUpload: '1GiB', maxQueryDepth: 20, dev: true },
      redis: { url: 'redis://127.0.0.1:6379', prefix: 'gw:' },
    };
    const yaml = [
      'database:',
      '  url: mysql://gw:pw@db.example:3307/gatewatch',
      'server: { port: 8080, maxUpload: 1GiB, maxQueryDepth: 20, dev: true }',
      'redis:',
      '  url: redis://127.0.0.1:6379',
      '  prefix: "gw:"',
    ].join('\n');
    const expected = {
      database: {
        target: {
          dialect: 'mysql',
          host: 'db.example',
          port: 3307,
          user: 'gw',
          password: 'pw',
          dbName: 'gatewatch',
        },
        waitTimeout: 60_000,
        maxIngests: 4,
      },
      server: {
        port: 8080,
        host: '127.0.0.1',
        maxUploadBytes: 2 ** 30,
        maxUploadDstatBytes: 64 << 20,
        maxExpandedBytes: 2 * 2 ** 30,
        uploadIdleTimeout: 30_000,
        uploadDir: null,
        baseUrl: null,
        trustProxy: false,
        maxQueryDepth: 20,
        maxQueryCost: 50000,
        maxQueryAliases: 100,
        maxQueryFields: 1000,
        maxQueryTokens: 10000,
        maxWsMessageBytes: 1 << 20,
        maxSubscriptions: 100,
        maxSocketsPerAddress: 100,
        dev: true,
      },
      redis: { url: 'redis://127.0.0.1:6379', prefix: 'gw:' },
      scrape: {
        allowHosts: null,
        maxStreamBytes: 64 << 20,
        maxFileBytes: 64 << 20,
        maxExpandedBytes: 512 << 20,
        timeout: 300_000,
        idleTimeout: 30_000,
        maxPages: 2,
        concurrency: 2,
        maxAttempts: 3,
        retryDelay: 10_000,
        lease: 30_000,
        retention: 7 * 86_400_000,
        publicScrape: false,
        publicRateLimit: 10,
      },
      ...LATER_SECTIONS_DEFAULTS,
    };
    for (const path of [
      file('g.json', JSON.stringify(settings)),
      file('g.yaml', yaml),
      file('g.yml', yaml),
      file('json-without-extension', JSON.stringify(settings)),
      file('yaml-without-extension', yaml),
    ]) {
      expect(loadConfig({ config: path }, {})).toEqual(expected);
    }
    expect(loadConfig({ config: file('empty.yaml', '') }, {})).toEqual(loadConfig({}, {}));
  });

  it('takes a base URL for links and the switch that trusts a proxy', () => {
    expect(loadConfig({ baseUrl: 'https://ci.example/gw/' }, {}).server.baseUrl).toBe(
      'https://ci.example/gw',
    );
    expect(loadConfig({}, { GATEWATCH_BASE_URL: 'http://ci.example:8080' }).server.baseUrl).toBe(
      'http://ci.example:8080',
    );
    for (const bad of [
      'ci.example',
      'ftp://ci.example',
      'https://u:p@ci.example',
      'https://x/?a=1',
    ]) {
      expect(() => loadConfig({ baseUrl: bad }, {}), bad).toThrow(
        `--base-url ${bad}: not a base URL: expected http(s)://host[:port][/path]`,
      );
    }
    // The flag alone is the switch (commander gives `true`).
    expect(loadConfig({ trustProxy: true }, {}).server.trustProxy).toBe(true);
    expect(loadConfig({}, { GATEWATCH_TRUST_PROXY: 'yes' }).server.trustProxy).toBe(true);
    const yaml = file('proxy.yaml', 'server:\n  trustProxy: true\n  baseUrl: https://a.example\n');
    expect(loadConfig({ config: yaml }, {}).server).toMatchObject({
      trustProxy: true,
      baseUrl: 'https://a.example',
    });
  });

  it('refuses every mistake, naming the setting as the user spelled it', () => {
    const mistakes: [string, () => unknown, string][] = [
      [
        'file value',
        () => withFile('bad-port.yaml', 'server:\n  port: abc\n'),
        '"abc" is not a port 0…65535',
      ],
      [
        'file type',
        () => withFile('bad-type.yaml', 'server:\n  host: 5\n'),
        'expected a string, got 5',
      ],
      [
        'file switch',
        () => withFile('bad-dev.json', '{"server": {"dev": "maybe"}}'),
        '"maybe" is not a switch',
      ],
      [
        'file size',
        () => withFile('bad-size.yaml', 'server: { maxUpload: 0 }'),
        '"0" is not a size',
      ],
      [
        'file threshold',
        () => withFile('bad-threshold.yaml', 'resources: { threshold: -1 }'),
        '"-1" is not a positive number',
      ],
    ];
    for (const [what, load, message] of mistakes) {
      expect(load, what).toThrow(message);
    }
    const named = (name: string, text: string) => () => withFile(name, text);
    expect(named('bad-port.yaml', 'server:\n  port: abc\n')).toThrow(
      `server.port in ${join(dir, 'bad-port.yaml')}: "abc" is not a port 0…65535`,
    );
    expect(named('section.yaml', 'gitlab:\n  url: x\n')).toThrow(
      `gitlab in ${join(dir, 'section.yaml')}: unknown section (expected database, server, redis, scrape, retention, flaky, timings, resources, webhooks, signatures, gerrit)`,
    );
    expect(named('key.yaml', 'server:\n  prot: 1\n')).toThrow(
      `server.prot in ${join(dir, 'key.yaml')}: unknown setting (expected port, host, maxUpload, maxUploadDstat, maxExpanded, uploadIdleTimeout, uploadDir, baseUrl, trustProxy, maxQueryDepth, maxQueryCost, maxQueryAliases, maxQueryFields, maxQueryTokens, maxWsMessage, maxSubscriptions, maxSocketsPerAddress, dev)`,
    );
    expect(named('flat.yaml', 'server: 4000\n')).toThrow(
      `server in ${join(dir, 'flat.yaml')}: expected its settings (port, host`,
    );
    expect(named('list.json', '[1, 2]')).toThrow(
      'expected sections (database, server, redis, scrape, retention, flaky, timings, resources, webhooks, signatures, gerrit), got [1,2]',
    );
    expect(named('broken.json', '{"server": ')).toThrow(
      `${join(dir, 'broken.json')}: not valid JSON`,
    );
    expect(named('broken.yaml', 'server: [\n')).toThrow(
      `${join(dir, 'broken.yaml')}: not valid YAML`,
    );
    expect(() => loadConfig({ config: join(dir, 'missing.yaml') }, {})).toThrow(
      `--config ${join(dir, 'missing.yaml')}: cannot read it (ENOENT)`,
    );
    expect(() => loadConfig({}, { GATEWATCH_CONFIG: join(dir, 'missing.yaml') })).toThrow(
      `GATEWATCH_CONFIG=${join(dir, 'missing.yaml')}: cannot read it (ENOENT)`,
    );
    expect(() => loadConfig({}, { GATEWATCH_PORT: 'abc' })).toThrow(
      'GATEWATCH_PORT=abc: not a port 0…65535',
    );
    expect(() => loadConfig({}, { GATEWATCH_MAX_QUERY_COST: '0' })).toThrow(
      'GATEWATCH_MAX_QUERY_COST=0: not a positive integer',
    );
    expect(() => loadConfig({}, { GATEWATCH_UPLOAD_IDLE_TIMEOUT: 'soon' })).toThrow(
      'GATEWATCH_UPLOAD_IDLE_TIMEOUT=soon: not a duration',
    );
    expect(() => loadConfig({ port: 'abc' }, {})).toThrow('--port abc: not a port 0…65535');
    expect(() => loadConfig({}, { GATEWATCH_DB: 'mysql://u:secret@h/' })).toThrow(
      'GATEWATCH_DB=mysql://u:***@h/: not a database URL',
    );
  });
});

function withFile(name: string, text: string): unknown {
  return loadConfig({ config: file(name, text) }, {});
}

describe('gatewatch --config', () => {
  it('refuses a bad file with exit 2 and one prefix, global option before or after', async () => {
    const path = file('cli.yaml', 'server:\n  port: abc\n');
    const before = await gatewatch(['--config', path, 'serve']);
    expect(before).toMatchObject({
      code: 2,
      stderr: `gatewatch serve: server.port in ${path}: "abc" is not a port 0…65535\n`,
    });
    expect(await gatewatch(['serve', '--config', path])).toEqual(before);
    const viaEnv = await gatewatch(['serve'], { env: { GATEWATCH_CONFIG: path } });
    expect(viaEnv).toEqual(before);
  });

  it('opens the database the file names', async () => {
    const db = join(dir, 'from-file.db');
    const path = file('db.json', JSON.stringify({ database: { url: `sqlite:${db}` } }));
    const migrated = await gatewatch(['migrate', '--config', path]);
    expect(migrated.code).toBe(0);
    expect(migrated.out).toContain(`sqlite:${db} is up to date`);
  });
});

describe('the README', () => {
  it('lists the settings exactly as they are declared', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    expect(readme).toContain(`\n${settingsTable()}\n`);
  });
});
