/**
 * A log server the scraping tests start on 127.0.0.1, port 0: directory trees served with
 * Apache-style or nginx-style autoindex pages (as CI log servers list a job's directory), and
 * the misbehaviours a scraper must survive: redirects, a server that stalls mid-body, a 404.
 */
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A file's bytes, or a handler answering for it (a stall, a redirect). */
export type LogFile = Buffer | ((res: ServerResponse) => void);

export interface LogTree {
  /** Where it is served, ending in `/`: `/26/271726/2/check/job/937cf7b/`. */
  readonly root: string;
  readonly style: 'apache' | 'nginx';
  /** Files by path under the root (`logs/testrepository.subunit.gz`); directories follow. */
  readonly files: Readonly<Record<string, LogFile>>;
}

export interface LogServer {
  /** `http://127.0.0.1:PORT`. */
  readonly origin: string;
  readonly port: number;
  /** Every path requested, in order. */
  readonly requests: readonly string[];
  /** Answers `path` with a redirect to `location` (absolute, or a path of this server). */
  redirect(path: string, location: string, status?: number): void;
  close(): Promise<void>;
}

export async function startLogServer(trees: readonly LogTree[]): Promise<LogServer> {
  const requests: string[] = [];
  const redirects = new Map<string, { location: string; status: number }>();
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    requests.push(path);
    const redirect = redirects.get(path);
    if (redirect) {
      res.writeHead(redirect.status, { location: redirect.location }).end();
      return;
    }
    for (const tree of trees) {
      if (!path.startsWith(tree.root)) continue;
      const inside = path.slice(tree.root.length);
      const file = tree.files[inside];
      if (file !== undefined) {
        if (typeof file === 'function') file(res);
        else res.writeHead(200, { 'content-length': file.length }).end(file);
        return;
      }
      if (inside === '' || inside.endsWith('/')) {
        const names = listing(tree, inside);
        if (names.length > 0 || inside === '') {
          res.writeHead(200, { 'content-type': 'text/html' });
          res.end(tree.style === 'apache' ? apache(path, names) : nginx(path, names));
          return;
        }
      }
    }
    res.writeHead(404, { 'content-type': 'text/html' }).end('<h1>Not Found</h1>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    origin: `http://127.0.0.1:${port}`,
    port,
    requests,
    redirect(path, location, status = 302) {
      redirects.set(path, { location, status });
    },
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

interface Listed {
  name: string;
  directory: boolean;
  size: number;
}

/** The entries of directory `inside` of a tree: its files and the subdirectories leading to files. */
function listing(tree: LogTree, inside: string): Listed[] {
  const found = new Map<string, Listed>();
  for (const [path, file] of Object.entries(tree.files)) {
    if (!path.startsWith(inside)) continue;
    const rest = path.slice(inside.length);
    const slash = rest.indexOf('/');
    const name = slash < 0 ? rest : rest.slice(0, slash);
    const size = typeof file === 'function' ? 0 : file.length;
    if (!found.has(name)) found.set(name, { name, directory: slash >= 0, size });
  }
  return [...found.values()];
}

/** Apache's FancyIndexing table: sort links, an absolute parent link, sizes like `1.2K`. */
function apache(path: string, entries: Listed[]): string {
  const parent = path.replace(/[^/]+\/$/, '');
  const rows = entries.map((entry) => {
    const href = encodeURIComponent(entry.name) + (entry.directory ? '/' : '');
    const size = entry.directory ? '-' : apacheSize(entry.size);
    return `<tr><td valign="top"><img src="/icons/${entry.directory ? 'folder' : 'text'}.gif" alt="[   ]"></td><td><a href="${href}">${entry.name}${entry.directory ? '/' : ''}</a></td><td align="right">2016-02-09 02:39  </td><td align="right">${size}</td><td>&nbsp;</td></tr>`;
  });
  return [
    '<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 3.2 Final//EN">',
    `<html><head><title>Index of ${path}</title></head><body>`,
    `<h1>Index of ${path}</h1>`,
    '<table>',
    '<tr><th valign="top"><img src="/icons/blank.gif" alt="[ICO]"></th><th><a href="?C=N;O=D">Name</a></th><th><a href="?C=M;O=A">Last modified</a></th><th><a href="?C=S;O=A">Size</a></th><th><a href="?C=D;O=A">Description</a></th></tr>',
    '<tr><th colspan="5"><hr></th></tr>',
    `<tr><td valign="top"><img src="/icons/back.gif" alt="[PARENTDIR]"></td><td><a href="${parent}">Parent Directory</a></td><td>&nbsp;</td><td align="right">  - </td><td>&nbsp;</td></tr>`,
    ...rows,
    '<tr><th colspan="5"><hr></th></tr>',
    '</table>',
    '<address>Apache/2.4.7 (Ubuntu) Server at logs.example.org Port 80</address>',
    '</body></html>',
  ].join('\n');
}

function apacheSize(bytes: number): string {
  if (bytes < 1024) return String(bytes);
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)}K`;
  return `${(bytes / 1024 / 1024).toFixed(1)}M`;
}

/** nginx's autoindex: `../`, then each entry with its date and size in bytes. */
function nginx(path: string, entries: Listed[]): string {
  const rows = entries.map((entry) => {
    const name = entry.name + (entry.directory ? '/' : '');
    const href = encodeURIComponent(entry.name) + (entry.directory ? '/' : '');
    const size = entry.directory ? '-' : String(entry.size);
    return `<a href="${href}">${name}</a>${' '.repeat(Math.max(1, 51 - name.length))}09-Feb-2016 02:39 ${size.padStart(19)}`;
  });
  return [
    `<html>\r\n<head><title>Index of ${path}</title></head>`,
    '<body>',
    `<h1>Index of ${path}</h1><hr><pre><a href="../">../</a>`,
    ...rows,
    '</pre><hr></body>',
    '</html>',
  ].join('\n');
}
