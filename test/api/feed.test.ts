/**
 * The Atom and RSS feeds of a job's failed runs, read over HTTP and parsed as XML by a small
 * strict reader (`helpers/xml.ts`). The runs are hand-made streams with known times and
 * failing tests.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../helpers/databases.js';
import { after, ingestMade, model, type MadeRun, type StoredRun } from '../helpers/made-runs.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { child, parseXml } from '../helpers/xml.js';

const BASE = new Date('2026-06-01T00:00:00Z');
/** Every character XML escapes, in the job name and in test ids. */
const JOB = `gate <&> "quoted" 'job'`;
const QUIET = 'gate-quiet';
const ODD = `tests.test_odd.OddTest.test_a<b & c>"d"]]>\u0001`;
const PLAIN = 'tests.test_plain.PlainTest.test_ok';
const MANY = 55;
const ENTRIES = 50;

const RUNS: MadeRun[] = [
  // More failed runs than a feed holds, every third passing in between.
  ...Array.from({ length: 78 }, (_, i): MadeRun => {
    const failing = i % 3 !== 0;
    return {
      at: after(BASE, 0, i),
      metadata: { build_name: JOB },
      results: [
        [PLAIN, 'success', 1],
        [ODD, failing ? 'fail' : 'success', 1],
        ...(failing && i % 2 === 0 ? [[PLAIN, 'uxsuccess', 1] as const] : []),
      ],
    };
  }),
  // The newest failed run, with more failing results than an entry lists.
  {
    at: after(BASE, 5),
    metadata: { build_name: JOB },
    results: Array.from(
      { length: MANY },
      (_, i) => [`tests.test_many.T.test_${i}`, 'fail', 0.5] as const,
    ),
  },
  { at: after(BASE, 1), metadata: { build_name: QUIET }, results: [[PLAIN, 'success', 1]] },
  { at: after(BASE, 2), metadata: { build_name: QUIET }, results: [[PLAIN, 'skip', 0]] },
];

describe.each(backends)('the Atom feed of failed runs on $name', (backend) => {
  let server: TestServer;
  let runs: StoredRun[];
  const feedUrl = (job: string) => `${server.url}/feeds/jobs/${encodeURIComponent(job)}/failures`;

  beforeAll(async () => {
    server = await startServer(backend);
    runs = await ingestMade(server, RUNS);
  });

  it("holds the job's newest failed runs, each linking to its run", async () => {
    const response = await fetch(feedUrl(JOB));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/atom+xml; charset=utf-8');
    const feed = parseXml(await response.text());

    expect(feed.name).toBe('feed');
    expect(feed.attributes.xmlns).toBe('http://www.w3.org/2005/Atom');
    const failed = runs
      .filter((r) => r.metadata.build_name === JOB && model.status(r) === 'failed')
      .sort((a, b) => b.at.getTime() - a.at.getTime())
      .slice(0, ENTRIES);
    expect(failed).toHaveLength(ENTRIES);
    expect(child(feed, 'id').text).toBe(feedUrl(JOB));
    expect(child(feed, 'title').text).toBe(`${JOB}: failed runs`);
    expect(child(feed, 'updated').text).toBe(failed[0]!.at.toISOString());
    expect(child(feed, 'link').attributes).toEqual({
      rel: 'self',
      type: 'application/atom+xml',
      href: feedUrl(JOB),
    });
    expect(child(child(feed, 'author'), 'name').text).toBe('gatewatch');

    const entries = feed.children.filter((c) => c.name === 'entry');
    expect(entries.map((e) => child(e, 'id').text)).toEqual(failed.map((r) => `urn:uuid:${r.id}`));
    entries.forEach((entry, i) => {
      const run = failed[i]!;
      const failing = run.results.filter(([, s]) => s === 'fail' || s === 'uxsuccess');
      expect(child(entry, 'title').text).toBe(
        `${JOB}: ${failing.length} ${failing.length === 1 ? 'failure' : 'failures'}`,
      );
      expect(child(entry, 'updated').text).toBe(run.at.toISOString());
      expect(child(entry, 'link').attributes).toEqual({
        rel: 'alternate',
        type: 'text/html',
        href: `${server.url}/runs/${run.id}`,
      });
      const summary = child(entry, 'summary');
      expect(summary.attributes.type).toBe('text');
      const listed = [...new Set(failing.slice(0, 50).map(([id]) => id))].map((id) =>
        // What XML cannot carry is replaced, the rest is kept as is.
        id.replace('\u0001', '\uFFFD'),
      );
      const more = failing.length - Math.min(failing.length, 50);
      expect(summary.text.split('\n')).toEqual([
        'Failing tests:',
        ...listed,
        ...(more > 0 ? [`… and ${more} more failing results`] : []),
      ]);
    });
    expect(child(entries[0]!, 'summary').text).toContain(`and ${MANY - 50} more`);
  });

  it('is empty for a job that never failed, as recent as its newest run', async () => {
    const response = await fetch(feedUrl(QUIET));
    expect(response.status).toBe(200);
    const feed = parseXml(await response.text());
    expect(feed.children.filter((c) => c.name === 'entry')).toEqual([]);
    const newest = Math.max(
      ...runs.filter((r) => r.metadata.build_name === QUIET).map((r) => r.at.getTime()),
    );
    expect(child(feed, 'updated').text).toBe(new Date(newest).toISOString());
  });

  it('is also RSS 2.0, with the same items as the Atom entries', async () => {
    const [atom, rss] = await Promise.all(
      [feedUrl(JOB), `${feedUrl(JOB)}.rss`].map((url) => fetch(url)),
    );
    expect(rss!.status).toBe(200);
    expect(rss!.headers.get('content-type')).toBe('application/rss+xml; charset=utf-8');
    const entries = parseXml(await atom!.text()).children.filter((c) => c.name === 'entry');
    const document = parseXml(await rss!.text());
    expect(document.name).toBe('rss');
    expect(document.attributes).toEqual({
      version: '2.0',
      'xmlns:atom': 'http://www.w3.org/2005/Atom',
    });
    const channel = child(document, 'channel');
    expect(child(channel, 'title').text).toBe(`${JOB}: failed runs`);
    expect(child(channel, 'link').text).toBe(`${server.url}/jobs/${encodeURIComponent(JOB)}`);
    expect(child(channel, 'atom:link').attributes).toEqual({
      rel: 'self',
      type: 'application/rss+xml',
      href: `${feedUrl(JOB)}.rss`,
    });
    const newest = new Date(child(entries[0]!, 'updated').text);
    expect(child(channel, 'lastBuildDate').text).toBe(newest.toUTCString());

    const items = channel.children.filter((c) => c.name === 'item');
    expect(items).toHaveLength(ENTRIES);
    items.forEach((item, i) => {
      const entry = entries[i]!;
      expect(child(item, 'guid').attributes).toEqual({ isPermaLink: 'false' });
      expect(child(item, 'guid').text).toBe(child(entry, 'id').text);
      expect(child(item, 'title').text).toBe(child(entry, 'title').text);
      expect(child(item, 'link').text).toBe(child(entry, 'link').attributes.href);
      expect(child(item, 'pubDate').text).toBe(
        new Date(child(entry, 'updated').text).toUTCString(),
      );
      expect(child(item, 'description').text).toBe(child(entry, 'summary').text);
    });
  });

  it('answers an unknown job with 404 and the JSON error body', async () => {
    expect((await fetch(`${feedUrl('no-such-job')}.rss`)).status).toBe(404);
    const response = await fetch(feedUrl('no-such-job'));
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await response.json()).toEqual({
      error: { code: 'NOT_FOUND', message: 'no job named "no-such-job"' },
    });
  });
});

/** The feeds' links: the request's host, a proxy's when trusted (opt-in), or the base URL. */
describe.each(backends)('the links of a feed on $name', (backend) => {
  const ONE: MadeRun[] = [
    { at: BASE, metadata: { build_name: 'gate-links' }, results: [[PLAIN, 'fail', 1]] },
  ];
  const PROXIED = { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'ci.example:8443' };

  async function linksOf(server: TestServer, headers: Record<string, string> = {}) {
    const url = `${server.url}/feeds/jobs/gate-links/failures`;
    const [atom, rss] = await Promise.all(
      [url, `${url}.rss`].map(async (u) => parseXml(await (await fetch(u, { headers })).text())),
    );
    const entry = child(atom!, 'entry');
    const channel = child(rss!, 'channel');
    return {
      atom: [child(atom!, 'link').attributes.href, child(entry, 'link').attributes.href],
      rss: [
        child(channel, 'atom:link').attributes.href,
        child(channel, 'link').text,
        child(child(channel, 'item'), 'link').text,
      ],
    };
  }

  it("follows the request's host, ignoring forwarded headers unless told to trust them", async () => {
    const server = await startServer(backend);
    const [run] = await ingestMade(server, ONE);
    const expected = (base: string) => ({
      atom: [`${base}/feeds/jobs/gate-links/failures`, `${base}/runs/${run!.id}`],
      rss: [
        `${base}/feeds/jobs/gate-links/failures.rss`,
        `${base}/jobs/gate-links`,
        `${base}/runs/${run!.id}`,
      ],
    });
    expect(await linksOf(server)).toEqual(expected(server.url));
    expect(await linksOf(server, PROXIED)).toEqual(expected(server.url));

    const trusting = await startServer(backend, { GATEWATCH_TRUST_PROXY: '1' });
    const [again] = await ingestMade(trusting, ONE);
    const proxied = await linksOf(trusting, PROXIED);
    expect(proxied.atom[1]).toBe(`https://ci.example:8443/runs/${again!.id}`);
    expect(proxied.rss[0]).toBe('https://ci.example:8443/feeds/jobs/gate-links/failures.rss');
    // Without the headers, the request's own host still.
    expect((await linksOf(trusting)).atom[0]).toBe(
      `${trusting.url}/feeds/jobs/gate-links/failures`,
    );
    // A forwarded value that is no protocol or host is not written into a link.
    const forged = await linksOf(trusting, {
      'x-forwarded-proto': 'javascript',
      'x-forwarded-host': 'evil.example/"><x',
    });
    expect(forged.atom[0]).toBe(`${trusting.url}/feeds/jobs/gate-links/failures`);
  });

  it('puts every link under --base-url, path included, whatever the request says', async () => {
    const server = await startServer(backend, {
      GATEWATCH_BASE_URL: 'https://ci.example/gatewatch/',
      GATEWATCH_TRUST_PROXY: '1',
    });
    const [run] = await ingestMade(server, ONE);
    const base = 'https://ci.example/gatewatch';
    expect(await linksOf(server, PROXIED)).toEqual({
      atom: [`${base}/feeds/jobs/gate-links/failures`, `${base}/runs/${run!.id}`],
      rss: [
        `${base}/feeds/jobs/gate-links/failures.rss`,
        `${base}/jobs/gate-links`,
        `${base}/runs/${run!.id}`,
      ],
    });
  });
});
