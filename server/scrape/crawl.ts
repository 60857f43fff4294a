/**
 * A job's log directory as its web server lists it (Apache's and nginx's autoindex pages):
 * the root and `logs/` are read, and the subunit stream, the dstat CSV and the console log are
 * picked from what they list (formats.md §6).
 */
import type { HttpClient } from '../http/client.js';

/** One file or directory a listing links to. */
export interface ListedEntry {
  /** As listed, decoded: `testrepository.subunit.gz`, `logs` (no trailing slash). */
  readonly name: string;
  readonly url: string;
  readonly directory: boolean;
  /** Bytes as the listing shows them (Apache rounds: `1.2M`); `null` when it shows none. */
  readonly size: number | null;
}

/** What a crawl found: each at most once. */
export interface FoundArtifacts {
  readonly subunit: ListedEntry | null;
  readonly dstat: ListedEntry | null;
  readonly console: ListedEntry | null;
  /** Listings read. */
  readonly pages: number;
}

/** The directories read, in order, under the job's root (which is read first). */
const SUBDIRECTORIES = ['logs'] as const;

const SUBUNIT = /\.subunit(?:\.gz)?$/i;
const PREFERRED_SUBUNIT = /^testrepository\.subunit(?:\.gz)?$/i;
const DSTAT = /^dstat.*csv/i;
/** Zuul v3's, then Jenkins' (Zuul v2). */
const CONSOLE = [/^job-output\.txt(?:\.gz)?$/i, /^console\.html(?:\.gz)?$/i] as const;

const ANCHOR = /<a\s[^>]*?href\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))[^>]*>/gi;
const SIZE_UNITS: Readonly<Record<string, number>> = { '': 1, K: 2 ** 10, M: 2 ** 20, G: 2 ** 30 };

/**
 * The entries of an autoindex page at `pageUrl` (a directory URL ending in `/`): the links to
 * its own files and subdirectories. Sort links (`?C=N;O=D`), the parent (`../`, or an absolute
 * link to it) and links off the directory are left out.
 */
export function parseListing(html: string, pageUrl: string): ListedEntry[] {
  const base = new URL(pageUrl);
  const entries = new Map<string, ListedEntry>();
  for (const match of html.matchAll(ANCHOR)) {
    const href = decodeEntities(match[1] ?? match[2] ?? match[3] ?? '');
    let target: URL;
    try {
      target = new URL(href, base);
    } catch {
      continue;
    }
    target.hash = '';
    if (target.search !== '' || target.origin !== base.origin) continue;
    if (!target.pathname.startsWith(base.pathname)) continue;
    const rest = target.pathname.slice(base.pathname.length);
    const directory = rest.endsWith('/');
    const encoded = directory ? rest.slice(0, -1) : rest;
    if (encoded === '' || encoded.includes('/')) continue;
    let name: string;
    try {
      name = decodeURIComponent(encoded);
    } catch {
      continue;
    }
    if (name === '.' || name === '..' || entries.has(name)) continue;
    const lineEnd = html.indexOf('\n', match.index);
    const after = html.slice(match.index + match[0].length, lineEnd < 0 ? undefined : lineEnd);
    entries.set(name, { name, url: target.href, directory, size: listedSize(after) });
  }
  return [...entries.values()];
}

/**
 * Reads the root listing and `logs/` (at most `maxPages` listings; `http` caps each page's
 * size) and picks the artifacts:
 *
 * - the subunit stream: `testrepository.subunit[.gz]` when there is one (devstack-gate's and
 *   stestr's name for the whole run, root before `logs/`), else the largest `*.subunit[.gz]`
 *   by the listed size (a job may also keep small per-worker or partial streams);
 * - the dstat CSV: the first `dstat*csv*` (`dstat-csv_log.txt.gz`, `dstat-csv.txt`);
 * - the console log: `job-output.txt[.gz]` (Zuul v3), else `console.html[.gz]` (Zuul v2).
 */
export async function crawlJob(
  http: HttpClient,
  rootUrl: string,
  limits: { readonly maxPages: number },
): Promise<FoundArtifacts> {
  const files: ListedEntry[] = [];
  let pages = 0;
  const read = async (url: string): Promise<ListedEntry[]> => {
    pages += 1;
    const response = await http.get(url, { accept: 'text/html' });
    // A redirect (`logs` → `logs/`) lists the directory it lands on.
    const listed = response.url.endsWith('/') ? response.url : `${response.url}/`;
    return parseListing(response.body.toString('utf8'), listed);
  };
  const root = await read(rootUrl);
  files.push(...root.filter((entry) => !entry.directory));
  for (const name of SUBDIRECTORIES) {
    const directory = root.find((entry) => entry.directory && entry.name === name);
    if (directory === undefined || pages >= limits.maxPages) continue;
    files.push(...(await read(directory.url)).filter((entry) => !entry.directory));
  }
  return { ...pickArtifacts(files), pages };
}

/** The artifacts among `files` (in crawl order), as {@link crawlJob} documents. */
export function pickArtifacts(files: readonly ListedEntry[]): Omit<FoundArtifacts, 'pages'> {
  const streams = files.filter((file) => SUBUNIT.test(file.name));
  const largest = streams.reduce<ListedEntry | null>(
    (best, file) => (best === null || (file.size ?? 0) > (best.size ?? 0) ? file : best),
    null,
  );
  const subunit = streams.find((file) => PREFERRED_SUBUNIT.test(file.name)) ?? largest;
  const dstat = files.find((file) => DSTAT.test(file.name)) ?? null;
  let console: ListedEntry | null = null;
  for (const pattern of CONSOLE) {
    console ??= files.find((file) => pattern.test(file.name)) ?? null;
  }
  return { subunit, dstat, console };
}

/** The size a listing row shows after its link: nginx's bytes, Apache's `1.2M`; `null` if none. */
function listedSize(row: string): number | null {
  const text = row.replace(/<[^>]*>|&nbsp;/g, ' ').trim();
  const last = text.split(/\s+/).at(-1) ?? '';
  const match = /^(\d+(?:\.\d+)?)([KMG]?)$/i.exec(last);
  if (!match) return null;
  return Math.round(Number(match[1]) * SIZE_UNITS[match[2]!.toUpperCase()]!);
}

function decodeEntities(text: string): string {
  return text
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}
