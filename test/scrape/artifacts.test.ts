/** fetchJobArtifacts against a real log server serving Zuul v2 and v3 directory layouts. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GatewatchError } from '../../server/errors.js';
import {
  fetchJobArtifacts,
  isTransient,
  type FetchJobArtifactsOptions,
  type JobArtifacts,
  type ScrapeLimits,
} from '../../server/scrape/artifacts.js';
import { startLogServer, type LogServer } from '../helpers/log-server.js';
import { FIXTURES } from '../helpers/server.js';

const fixture = (name: string) => readFileSync(join(FIXTURES, name));
const subunitV2 = fixture('subunit/sample-last.subunit');
const subunitGz = fixture('subunit/sample-last.subunit.gz');
const stestr = fixture('subunit/stestr-successful.subunit');
const partial = fixture('subunit/sample-retry.subunit');
const dstat = fixture('dstat/dstat-0.8.0-debian.csv');
const consoleText = Buffer.from(
  '2016-02-09 02:39:10.123 | Started by user anonymous\nFinished: SUCCESS\n',
);

const V2 = '/26/271726/2/gate/gate-stackviz-python27/937cf7b/';
const V3 = '/726/271726/3/check/tempest-full/7c374a7/';
const EMPTY = '/periodic/nightly-docs/abc1234/';
const BIG = '/big/1/1/check/big-job/abcdef0/';
const BOMB = '/bomb/1/1/check/bomb-job/abcdef1/';
const SLOW = '/slow/1/1/check/slow-job/abcdef2/';
const BAD_GZIP = '/badgz/1/1/check/badgz-job/abcdef3/';
const BUSY = '/busy/1/1/check/busy-job/abcdef4/';

const limits: ScrapeLimits = {
  maxStreamBytes: 64 * 1024,
  maxFileBytes: 64 * 1024,
  maxExpandedBytes: 1024 * 1024,
  maxPages: 5,
  timeoutMs: 10_000,
  idleTimeoutMs: 300,
};

let logs: LogServer;
const stalled: (() => void)[] = [];

beforeAll(async () => {
  logs = await startLogServer([
    {
      root: V2,
      style: 'apache',
      files: {
        'console.html.gz': gzipSync(consoleText),
        'logs/testrepository.subunit.gz': subunitGz,
        'logs/partial.subunit': stestr,
        'logs/dstat-csv_log.txt.gz': gzipSync(dstat),
        'logs/testr_results.html.gz': gzipSync('<html></html>'),
        'logs/old/testrepository.subunit': partial,
      },
    },
    {
      root: V3,
      style: 'nginx',
      files: {
        'job-output.txt.gz': gzipSync(consoleText),
        'worker-0.subunit': partial,
        'tempest.subunit': stestr,
        'logs/dstat-csv.txt': dstat,
        'zuul-info/inventory.yaml': Buffer.from('all: {}\n'),
      },
    },
    { root: EMPTY, style: 'apache', files: { 'zuul-info/inventory.yaml': Buffer.from('{}') } },
    {
      root: BIG,
      style: 'nginx',
      files: { 'testrepository.subunit': Buffer.alloc(limits.maxStreamBytes + 1, 0xb3) },
    },
    {
      root: BOMB,
      style: 'nginx',
      // 16 MiB of zeros gzip to some 16 KiB: within the download cap, 16× the expanded one.
      files: { 'testrepository.subunit.gz': gzipSync(Buffer.alloc(16 << 20)) },
    },
    {
      root: SLOW,
      style: 'apache',
      files: {
        'testrepository.subunit': (res) => {
          res.writeHead(200, { 'content-length': subunitV2.length });
          res.write(subunitV2.subarray(0, 100));
          // Stalls until the test is over: the client must give up on its own.
          stalled.push(() => res.destroy());
        },
      },
    },
    {
      root: BAD_GZIP,
      style: 'apache',
      files: {
        'testrepository.subunit.gz': Buffer.concat([
          Buffer.from([0x1f, 0x8b]),
          Buffer.alloc(64, 7),
        ]),
      },
    },
    { root: BUSY, style: 'apache', files: { '': (res) => res.writeHead(503).end('busy') } },
  ]);
  logs.redirect('/moved/', V3, 301);
  logs.redirect('/away/', 'http://refused.example.test/logs/');
  logs.redirect('/loop/', '/loop/');
});

afterAll(async () => {
  for (const release of stalled) release();
  await logs.close();
});

const listed: FetchJobArtifactsOptions = { limits, allowHosts: ['127.0.0.1'], seenHosts: [] };

async function refusal(promise: Promise<unknown>): Promise<GatewatchError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(GatewatchError);
  return error as GatewatchError;
}

async function fetched(url: string, options = listed): Promise<JobArtifacts> {
  return fetchJobArtifacts(url, options);
}

describe('fetchJobArtifacts', () => {
  it('finds and downloads the stream, dstat and console of a Zuul v2 job (Apache listing)', async () => {
    const progress: [string, number][] = [];
    const artifacts = await fetched(`${logs.origin}${V2}`, {
      ...listed,
      onProgress: (stage, bytes) => progress.push([stage, bytes]),
    });
    try {
      expect(artifacts.url).toBe(`${logs.origin}${V2}`);
      // testrepository.subunit is preferred over a larger stream beside it; gzip is expanded.
      expect(artifacts.subunit?.name).toBe('testrepository.subunit.gz');
      expect(artifacts.subunit?.url).toBe(`${logs.origin}${V2}logs/testrepository.subunit.gz`);
      expect(readFileSync(artifacts.subunit!.path)).toEqual(subunitV2);
      expect(artifacts.subunit!.bytes).toBe(subunitV2.length);
      expect(artifacts.dstat?.name).toBe('dstat-csv_log.txt.gz');
      expect(readFileSync(artifacts.dstat!.path)).toEqual(dstat);
      expect(artifacts.console?.name).toBe('console.html.gz');
      expect(readFileSync(artifacts.console!.path)).toEqual(consoleText);
      expect(progress[0]).toEqual(['crawling', 0]);
      const sent = subunitGz.length + gzipSync(dstat).length + gzipSync(consoleText).length;
      expect(progress.at(-1)).toEqual(['downloading', sent]);
      const bytes = progress.map(([, b]) => b);
      expect(bytes).toEqual([...bytes].sort((a, b) => a - b));
      // Only the root and logs/ are listed, never logs/old/.
      expect(logs.requests.filter((p) => p.startsWith(`${V2}logs/old`))).toEqual([]);
    } finally {
      await artifacts.remove();
    }
    expect(existsSync(artifacts.subunit!.path)).toBe(false);
  });

  it('takes the largest stream without a testrepository.subunit (Zuul v3, nginx listing), through a redirect', async () => {
    const artifacts = await fetched(`${logs.origin}/moved/`);
    try {
      expect(artifacts.subunit?.name).toBe('tempest.subunit');
      expect(readFileSync(artifacts.subunit!.path)).toEqual(stestr);
      expect(artifacts.dstat?.name).toBe('dstat-csv.txt');
      expect(readFileSync(artifacts.dstat!.path)).toEqual(dstat);
      expect(artifacts.console?.name).toBe('job-output.txt.gz');
      expect(readFileSync(artifacts.console!.path)).toEqual(consoleText);
    } finally {
      await artifacts.remove();
    }
  });

  it('fails a directory with neither a stream nor a console log', async () => {
    const error = await refusal(fetched(`${logs.origin}${EMPTY}`));
    expect(error.code).toBe('NO_ARTIFACTS');
    expect(error.message).toBe(`no subunit stream or console log under ${logs.origin}${EMPTY}`);
    expect(isTransient(error)).toBe(false);
  });

  it('fails a 404 for good', async () => {
    const error = await refusal(fetched(`${logs.origin}/no/such/job/`));
    expect(error.code).toBe('UPSTREAM_STATUS');
    expect(error.message).toMatch(/answered 404/);
    expect(isTransient(error)).toBe(false);
  });

  it('fails a 503 as transient', async () => {
    const error = await refusal(fetched(`${logs.origin}${BUSY}`));
    expect(error.message).toBe(`GET ${logs.origin}${BUSY}: answered 503: busy`);
    expect(isTransient(error)).toBe(true);
  });

  it('refuses a redirect to a host off the allow-list before connecting to it', async () => {
    const error = await refusal(fetched(`${logs.origin}/away/`));
    expect(error.code).toBe('HOST_REFUSED');
    expect(error.message).toBe(
      'refused.example.test is not on the allow-list (add it with --allow-host refused.example.test)',
    );
  });

  it('follows at most 5 redirects', async () => {
    const error = await refusal(fetched(`${logs.origin}/loop/`));
    expect(error.message).toBe(`GET ${logs.origin}/loop/: more than 5 redirects`);
    expect(logs.requests.filter((path) => path === '/loop/')).toHaveLength(6);
  });

  it('refuses a name resolving to loopback unless listed; a listed 127.0.0.1 is fetched', async () => {
    const url = `http://localhost:${logs.port}${V3}`;
    const seen = await refusal(
      fetched(url, { ...listed, allowHosts: [], seenHosts: ['localhost'] }),
    );
    expect(seen.code).toBe('HOST_REFUSED');
    expect(seen.message).toBe(
      'localhost resolves to 127.0.0.1, a loopback address: refused unless listed (--allow-host localhost)',
    );
    const literal = await refusal(
      fetched(`${logs.origin}${V3}`, { ...listed, allowHosts: [], seenHosts: ['127.0.0.1'] }),
    );
    expect(literal.message).toMatch(/^127\.0\.0\.1 is a loopback address: refused unless listed/);
    const unlisted = await refusal(fetched(url, { ...listed, allowHosts: [] }));
    expect(unlisted.message).toMatch(/^localhost is not on the allow-list/);
    const allowed = await fetched(url, { ...listed, allowHosts: ['localhost'] });
    await allowed.remove();
    expect(allowed.subunit?.name).toBe('tempest.subunit');
  });

  it('gives up on a server that stalls mid-body, as a transient error', async () => {
    const error = await refusal(fetched(`${logs.origin}${SLOW}`));
    expect(error.code).toBe('UPSTREAM_TIMEOUT');
    expect(error.message).toBe(
      `GET ${logs.origin}${SLOW}testrepository.subunit: no answer within the idle time-out of 300 ms`,
    );
    expect(isTransient(error)).toBe(true);
  });

  it('refuses a stream over its cap, naming the cap', async () => {
    const error = await refusal(fetched(`${logs.origin}${BIG}`));
    expect(error.code).toBe('UPSTREAM_TOO_LARGE');
    expect(error.message).toBe(
      `subunit stream larger than 64 KiB: ${logs.origin}${BIG}testrepository.subunit`,
    );
    expect(isTransient(error)).toBe(false);
  });

  it('refuses a gzip bomb at the decompressed cap', async () => {
    const error = await refusal(fetched(`${logs.origin}${BOMB}`));
    expect(error.code).toBe('UPSTREAM_TOO_LARGE');
    expect(error.message).toBe(
      `subunit stream larger than 1 MiB once decompressed: ${logs.origin}${BOMB}testrepository.subunit.gz`,
    );
  });

  it('refuses damaged gzip data', async () => {
    const error = await refusal(fetched(`${logs.origin}${BAD_GZIP}`));
    expect(error.code).toBe('CORRUPT_INPUT');
    expect(error.message).toMatch(/^subunit stream at .*: not valid gzip data/);
  });

  it('refuses schemes other than http(s)', async () => {
    const error = await refusal(fetched('ftp://127.0.0.1/logs/'));
    expect(error.code).toBe('HOST_REFUSED');
    expect(error.message).toMatch(/only http: and https: URLs are fetched, not ftp:/);
  });

  it('tells transient failures from final ones', () => {
    expect(isTransient(new GatewatchError('UPSTREAM_UNREACHABLE', 'x'))).toBe(true);
    expect(isTransient(new GatewatchError('HOST_REFUSED', 'x'))).toBe(false);
    expect(isTransient(new Error('x'))).toBe(false);
  });
});
