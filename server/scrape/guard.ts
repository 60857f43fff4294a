/**
 * The scraper's host guard: which log servers a scrape may fetch from. A host is allowed when
 * it is *listed* (`--allow-host`, `scrape.allowHosts`) or *seen* (the host of a log URL a
 * configured CI reported). A seen host must resolve only to public addresses; a listed one may
 * be private or loopback (a log server on the LAN). The host is resolved once here and the
 * request connects to the address checked, so a second DNS answer cannot point it elsewhere.
 * The HTTP client asks again before each redirect.
 */
import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';
import { GatewatchError } from '../errors.js';
import type { CheckedAddress, RequestGuard } from '../http/client.js';

export interface HostGuardOptions {
  /** Listed hosts: allowed at any address. */
  readonly allowHosts: readonly string[];
  /** Seen hosts: allowed at public addresses only. */
  readonly seenHosts: readonly string[];
  /** Every address of a host name. Default: the system resolver (`dns.lookup`, all addresses). */
  readonly resolve?: (host: string) => Promise<CheckedAddress[]>;
}

const NON_PUBLIC: readonly (readonly [kind: string, subnets: readonly string[]])[] = [
  ['an unspecified', ['0.0.0.0/8', '::/128']],
  ['a loopback', ['127.0.0.0/8', '::1/128']],
  ['a link-local', ['169.254.0.0/16', 'fe80::/10']],
  ['a private', ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', 'fc00::/7', 'fec0::/10']],
  ['a carrier-grade NAT', ['100.64.0.0/10']],
  ['a multicast', ['224.0.0.0/4', 'ff00::/8']],
  // `::a.b.c.d`, IPv4-compatible (deprecated): judged reserved rather than read as IPv4.
  ['a reserved', ['240.0.0.0/4', '::/96']],
];

const blocks = NON_PUBLIC.map(([kind, subnets]) => {
  const list = new BlockList();
  for (const subnet of subnets) {
    const [network, prefix] = subnet.split('/') as [string, string];
    list.addSubnet(network, Number(prefix), isIP(network) === 6 ? 'ipv6' : 'ipv4');
  }
  return { kind, list };
});

/**
 * What kind of non-public address `ip` is (`a loopback`, `a private`…), or `null` when it is
 * public. IPv4-mapped IPv6 addresses (`::ffff:127.0.0.1`) are judged as their IPv4 address.
 */
export function nonPublicKind(ip: string): string | null {
  const mapped = mappedIPv4(ip);
  const address = mapped ?? ip;
  const family = isIP(address) === 6 ? 'ipv6' : 'ipv4';
  return blocks.find(({ list }) => list.check(address, family))?.kind ?? null;
}

/** The guard of one scrape. */
export function createHostGuard(options: HostGuardOptions): RequestGuard {
  const listed = new Set(options.allowHosts.map(normalHost));
  const seen = new Set(options.seenHosts.map(normalHost));
  const resolve = options.resolve ?? systemResolve;
  return {
    async check(url: URL): Promise<CheckedAddress | null> {
      if (url.protocol !== 'http:' && url.protocol !== 'https:') {
        throw new GatewatchError(
          'HOST_REFUSED',
          `${url.href}: only http: and https: URLs are fetched, not ${url.protocol}`,
        );
      }
      const host = normalHost(url.hostname);
      const isListed = listed.has(host);
      if (!isListed && !seen.has(host)) {
        throw new GatewatchError(
          'HOST_REFUSED',
          `${host} is not on the allow-list (add it with --allow-host ${host})`,
        );
      }
      if (isIP(host) !== 0) {
        if (!isListed) refuseNonPublic(host, host);
        return null;
      }
      let addresses: CheckedAddress[];
      try {
        addresses = await resolve(host);
      } catch (error) {
        const code = (error as { code?: string }).code ?? String(error);
        throw new GatewatchError('UPSTREAM_UNREACHABLE', `GET ${url.href}: ${code} (${host})`);
      }
      if (addresses.length === 0) {
        throw new GatewatchError('UPSTREAM_UNREACHABLE', `GET ${url.href}: ${host} has no address`);
      }
      if (!isListed) for (const { address } of addresses) refuseNonPublic(host, address);
      return addresses[0]!;
    },
  };
}

function refuseNonPublic(host: string, address: string): void {
  const kind = nonPublicKind(address);
  if (kind === null) return;
  const resolves = host === address ? `${host} is` : `${host} resolves to ${address},`;
  throw new GatewatchError(
    'HOST_REFUSED',
    `${resolves} ${kind} address: refused unless listed (--allow-host ${host})`,
  );
}

/** A host as compared: lower case, no IPv6 brackets, no trailing dot. */
export function normalHost(host: string): string {
  return host
    .toLowerCase()
    .replace(/^\[(.*)\]$/, '$1')
    .replace(/\.$/, '');
}

async function systemResolve(host: string): Promise<CheckedAddress[]> {
  const found = await lookup(host, { all: true, verbatim: true });
  return found.map(({ address, family }) => ({ address, family: family === 6 ? 6 : 4 }));
}

/** The IPv4 address an IPv4-mapped IPv6 address (`::ffff:a.b.c.d` or `::ffff:7f00:1`) carries. */
function mappedIPv4(ip: string): string | null {
  if (isIP(ip) !== 6) return null;
  const match = /^(?:0{0,4}:){0,4}:?(?:0{0,4}:)?ffff:(.+)$/i.exec(ip);
  if (!match) return null;
  const tail = match[1]!;
  if (isIP(tail) === 4) return tail;
  const groups = /^([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i.exec(tail);
  if (!groups) return null;
  const high = parseInt(groups[1]!, 16);
  const low = parseInt(groups[2]!, 16);
  return [high >> 8, high & 255, low >> 8, low & 255].join('.');
}
