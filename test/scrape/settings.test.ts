/** The scrape settings: the allow-list from repeated flags, the environment or a YAML list. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/config/config.js';
import { scrapeLimits } from '../../server/scrape/artifacts.js';

const dir = mkdtempSync(join(tmpdir(), 'gatewatch-scrape-settings-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('scrape settings', () => {
  it('reads --allow-host repeated, a comma list in the environment, or a YAML list', () => {
    const hosts = (flags: Record<string, unknown>, env: Record<string, string> = {}) =>
      loadConfig(flags, env).scrape.allowHosts;
    expect(hosts({ allowHost: ['Logs.Example.org', '[::1]'] })).toEqual([
      'logs.example.org',
      '::1',
    ]);
    expect(hosts({}, { GATEWATCH_SCRAPE_ALLOW_HOSTS: 'a.example, 10.0.0.2' })).toEqual([
      'a.example',
      '10.0.0.2',
    ]);
    const file = join(dir, 'scrape.yaml');
    writeFileSync(file, 'scrape:\n  allowHosts: [logs.lan, 127.0.0.1]\n  maxStream: 1MiB\n');
    expect(hosts({ config: file })).toEqual(['logs.lan', '127.0.0.1']);
    expect(scrapeLimits(loadConfig({ config: file }, {})).maxStreamBytes).toBe(1 << 20);
    expect(hosts({})).toBeNull();
  });

  it('refuses a URL, a port or a path where a host is expected', () => {
    expect(() => loadConfig({ allowHost: ['https://logs.example.org/'] }, {})).toThrow(
      '--allow-host https://logs.example.org/: "https://logs.example.org/" is not a host name: expected HOST or an IP address (no scheme, port or path)',
    );
    expect(() => loadConfig({}, { GATEWATCH_SCRAPE_ALLOW_HOSTS: 'logs.example.org:8080' })).toThrow(
      /^GATEWATCH_SCRAPE_ALLOW_HOSTS=logs.example.org:8080: "logs.example.org:8080" is not a host name/,
    );
    const file = join(dir, 'bad.yaml');
    writeFileSync(file, 'scrape:\n  allowHosts: [1, 2]\n');
    expect(() => loadConfig({ config: file }, {})).toThrow(
      /scrape.allowHosts in .*bad.yaml: expected a string or a list, got \[1,2\]/,
    );
  });

  it('gives the limits their defaults', () => {
    expect(scrapeLimits(loadConfig({}, {}))).toEqual({
      maxStreamBytes: 64 << 20,
      maxFileBytes: 64 << 20,
      maxExpandedBytes: 512 << 20,
      maxPages: 20,
      timeoutMs: 300_000,
      idleTimeoutMs: 30_000,
    });
  });
});
