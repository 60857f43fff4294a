/** The built dashboard and explorer as static files, with caching that suits each kind. */
import { basename, sep } from 'node:path';
import express, { type RequestHandler, type Response } from 'express';

/** A year: what a browser may keep a file whose name changes with its content. */
export const IMMUTABLE = 'public, max-age=31536000, immutable';
/** Pages are checked on every load (a 304 when unchanged): they name the current assets. */
export const REVALIDATE = 'no-cache';

/** Vite's output names: `assets/NAME-HASH.EXT`, the hash 8 characters of base64url. */
const HASHED = /-[\w-]{8}\.[\w.]+$/;

/**
 * Serves `dir`: hashed files under `assets/` are cached for a year as immutable, every other
 * file (`index.html` first) is revalidated on each use.
 */
export function staticFiles(dir: string): RequestHandler {
  return express.static(dir, {
    index: 'index.html',
    setHeaders: (res, path) => {
      const hashed = path.includes(`${sep}assets${sep}`) && HASHED.test(basename(path));
      res.setHeader('Cache-Control', hashed ? IMMUTABLE : REVALIDATE);
    },
  });
}

/** Answers with a page (an `index.html`), revalidated on each use. */
export function sendPage(res: Response, file: string): void {
  res.setHeader('Cache-Control', REVALIDATE);
  res.sendFile(file);
}
