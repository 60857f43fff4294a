/**
 * The Atom feed of a job's failed runs, read over HTTP and parsed as XML by a small strict
 * reader below (elements, attributes, the five predefined entities, nothing else: all the
 * feed may use). The runs are hand-made streams with known times and failing tests.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../helpers/databases.js';
import { after, ingestMade, model, type MadeRun, type StoredRun } from '../helpers/made-runs.js';
import { startServer, type TestServer } from '../helpers/server.js';

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

interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  text: string;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
const NOT_XML_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;

/** Text with its entities resolved; throws on a bare `&` or an unknown entity. */
function unescape(text: string): string {
  return text.replace(/&([^;]*);|&/g, (match, name: string | undefined) => {
    const char = name === undefined ? undefined : ENTITIES[name];
    if (char === undefined) throw new Error(`bad entity or bare & at "${match}"`);
    return char;
  });
}

/** Parses a document of elements and text; throws on anything not well-formed. */
function parseXml(xml: string): XmlElement {
  if (NOT_XML_CHAR.test(xml)) throw new Error('a character XML cannot hold');
  const prolog = /^<\?xml version="1\.0" encoding="utf-8"\?>\s*/.exec(xml);
  if (!prolog) throw new Error('no XML declaration');
  const token =
    /<\/([A-Za-z][\w:.-]*)\s*>|<([A-Za-z][\w:.-]*)((?:\s+[A-Za-z][\w:.-]*="[^"<]*")*)\s*(\/?)>|([^<]+)/y;
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  token.lastIndex = prolog[0].length;
  while (token.lastIndex < xml.length) {
    const at = token.lastIndex;
    const match = token.exec(xml);
    if (!match) throw new Error(`not well-formed at ${at}: ${xml.slice(at, at + 40)}`);
    const [, close, open, attributes, empty, text] = match;
    const parent = stack.at(-1);
    if (text !== undefined) {
      if (parent) parent.text += unescape(text);
      else if (text.trim() !== '') throw new Error(`text outside the root at ${at}`);
    } else if (close !== undefined) {
      if (stack.pop()?.name !== close) throw new Error(`mismatched </${close}> at ${at}`);
    } else {
      if (!parent && root) throw new Error(`a second root at ${at}`);
      const element: XmlElement = { name: open!, attributes: {}, children: [], text: '' };
      for (const [, name, value] of attributes!.matchAll(/([\w:.-]+)="([^"]*)"/g)) {
        if (name! in element.attributes) throw new Error(`attribute ${name} twice`);
        element.attributes[name!] = unescape(value!);
      }
      if (parent) parent.children.push(element);
      else root = element;
      if (empty === '') stack.push(element);
    }
  }
  if (!root || stack.length > 0) throw new Error('unclosed elements');
  return root;
}

const child = (element: XmlElement, name: string) => {
  const found = element.children.filter((c) => c.name === name);
  expect(found, `<${name}> in <${element.name}>`).toHaveLength(1);
  return found[0]!;
};

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

  it('answers an unknown job with 404 and the JSON error body', async () => {
    const response = await fetch(feedUrl('no-such-job'));
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await response.json()).toEqual({
      error: { code: 'NOT_FOUND', message: 'no job named "no-such-job"' },
    });
  });
});
