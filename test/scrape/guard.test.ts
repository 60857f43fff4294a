/** The host guard's decisions, and the seen hosts read from stored CI builds on each backend. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/config/config.js';
import { GatewatchError } from '../../server/errors.js';
import { openGerritStore } from '../../server/gerrit/store.js';
import { openRuntime, type Runtime } from '../../server/runtime.js';
import { createHostGuard, nonPublicKind } from '../../server/scrape/guard.js';
import { cachedSeenHosts, seenHosts } from '../../server/scrape/seen-hosts.js';
import { backends } from '../helpers/databases.js';
import { ACME, patchSetCreated, reportAdded, T0, ZUUL } from '../helpers/gerrit-events.js';

describe('nonPublicKind', () => {
  it.each([
    ['127.0.0.1', 'a loopback'],
    ['127.255.0.9', 'a loopback'],
    ['::1', 'a loopback'],
    ['::ffff:127.0.0.1', 'a loopback'],
    ['::ffff:7f00:1', 'a loopback'],
    ['0:0:0:0:0:ffff:7f00:1', 'a loopback'],
    ['0.0.0.0', 'an unspecified'],
    ['::', 'an unspecified'],
    ['169.254.169.254', 'a link-local'],
    ['fe80::1', 'a link-local'],
    ['10.1.2.3', 'a private'],
    ['172.16.0.1', 'a private'],
    ['172.31.255.255', 'a private'],
    ['192.168.1.1', 'a private'],
    ['::ffff:192.168.1.1', 'a private'],
    ['fd12:3456::1', 'a private'],
    ['100.64.0.1', 'a carrier-grade NAT'],
    ['100.127.255.254', 'a carrier-grade NAT'],
    ['224.0.0.251', 'a multicast'],
    ['ff02::1', 'a multicast'],
    ['255.255.255.255', 'a reserved'],
    ['::7f00:1', 'a reserved'],
  ])('%s is %s address', (address, kind) => {
    expect(nonPublicKind(address)).toBe(kind);
  });

  it.each(['8.8.8.8', '172.32.0.1', '100.128.0.1', '2001:4860:4860::8888', '::ffff:8.8.8.8'])(
    '%s is public',
    (address) => {
      expect(nonPublicKind(address)).toBeNull();
    },
  );
});

describe('createHostGuard', () => {
  // A resolver standing in for DNS: the decision under test is the guard's, not the resolver's.
  const dns: Record<string, string[]> = {
    'logs.example.org': ['198.51.100.7', '2001:db8::7'],
    'rebind.example.org': ['203.0.113.5', '10.0.0.5'],
    'lan.example.org': ['192.168.10.2'],
  };
  const guard = createHostGuard({
    allowHosts: ['lan.example.org', '10.9.9.9'],
    seenHosts: ['logs.example.org', 'rebind.example.org', 'LAN.example.org.'],
    resolve: async (host) =>
      (dns[host] ?? []).map((address) => ({ address, family: address.includes(':') ? 6 : 4 })),
  });
  const refused = (url: string) =>
    guard.check(new URL(url)).then(
      () => null,
      (error: unknown) => {
        expect(error).toBeInstanceOf(GatewatchError);
        return (error as GatewatchError).message;
      },
    );

  it('allows a seen host at public addresses and connects to the first one checked', async () => {
    await expect(guard.check(new URL('https://logs.example.org/x/'))).resolves.toEqual({
      address: '198.51.100.7',
      family: 4,
    });
  });

  it('refuses a seen host when any of its addresses is not public', async () => {
    expect(await refused('http://rebind.example.org/')).toBe(
      'rebind.example.org resolves to 10.0.0.5, a private address: refused unless listed (--allow-host rebind.example.org)',
    );
  });

  it('allows a listed host at a private address, and a listed IP literal as is', async () => {
    await expect(guard.check(new URL('http://lan.example.org:8080/'))).resolves.toEqual({
      address: '192.168.10.2',
      family: 4,
    });
    await expect(guard.check(new URL('http://10.9.9.9/'))).resolves.toBeNull();
  });

  it('refuses hosts neither listed nor seen, and other schemes', async () => {
    expect(await refused('http://evil.example/')).toBe(
      'evil.example is not on the allow-list (add it with --allow-host evil.example)',
    );
    expect(await refused('http://[::1]/')).toBe(
      '::1 is not on the allow-list (add it with --allow-host ::1)',
    );
    expect(await refused('file:///etc/passwd')).toMatch(/only http: and https: URLs are fetched/);
  });
});

describe.each(backends)('seenHosts on $name', (backend) => {
  let runtime: Runtime;
  let drop: () => Promise<void>;
  const change = { number: 5, project: 'openstack/nova' };
  const openStore = () =>
    openGerritStore(runtime.services, {
      name: 'review',
      url: 'https://review.example.org',
      cis: [],
      upstream: null,
    });

  beforeAll(async () => {
    const database = await backend.create();
    drop = database.drop;
    runtime = await openRuntime(loadConfig({ db: database.url }, {}));
    const store = await openStore();
    await store.accept(
      [
        patchSetCreated(change, 1, T0),
        reportAdded(change, 1, T0 + 60, ZUUL, true, [
          { job: 'a', result: 'SUCCESS', url: 'https://Logs.Example.org/05/5/1/check/a/abc1234/' },
          {
            job: 'b',
            result: 'SUCCESS',
            url: 'http://logs.example.org:8080/05/5/1/check/b/abc1235',
          },
          { job: 'c', result: 'SUCCESS', url: 'https://[2001:db8::7]/c/abc1236/' },
        ]),
        reportAdded(change, 1, T0 + 90, ACME, true, [
          { job: 'd', result: 'SUCCESS', url: 'http://ci.acme.example' },
        ]),
      ],
      'stream',
    );
    await store.close();
  });

  afterAll(async () => {
    await runtime.stop();
    await drop();
  });

  it('reads the distinct hosts of the stored log URLs', async () => {
    expect(await seenHosts(runtime.services.db)).toEqual([
      '2001:db8::7',
      'ci.acme.example',
      'logs.example.org',
    ]);
  });

  it('cached: reused for a minute, read again at once for a task whose host is not in it', async () => {
    let now = 0;
    const hostsFor = cachedSeenHosts(runtime.services.db, () => now);
    const storeBuild = async (at: number, url: string) => {
      const store = await openStore();
      await store.accept(
        [reportAdded(change, 1, at, ACME, true, [{ job: 'e', result: 'SUCCESS', url }])],
        'stream',
      );
      await store.close();
    };
    expect(await hostsFor('https://logs.example.org/x/')).toContain('logs.example.org');
    await storeBuild(T0 + 120, 'https://new.acme.example/e/');
    now = 30_000;
    expect(await hostsFor('https://logs.example.org/y/')).not.toContain('new.acme.example');
    expect(await hostsFor('https://new.acme.example/e/')).toContain('new.acme.example');
    await storeBuild(T0 + 150, 'https://later.acme.example/e/');
    now = 60_000;
    expect(await hostsFor('https://logs.example.org/z/')).not.toContain('later.acme.example');
    now = 100_000;
    expect(await hostsFor('https://logs.example.org/z/')).toContain('later.acme.example');
  });
});
