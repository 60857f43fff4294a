/**
 * The bundled explorer at /graphiql: served by the server itself, every asset same-origin, and
 * usable in a real browser cut off from every other host (queries, the docs, subscriptions).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { CLIENT_DIR } from '../../server/app.js';
import { browserIt, openBrowser } from '../helpers/browser.js';
import { backends } from '../helpers/databases.js';
import { startServer, type TestServer } from '../helpers/server.js';

/** Where a built file would make the browser fetch something: the URLs it would fetch. */
const FETCHED_URL = [
  /\b(?:src|href)\s*=\s*["'`]?((?:https?:)?\/\/[^\s"'`>]+)/gi,
  /\burl\(\s*["'`]?((?:https?:)?\/\/[^\s"'`)]+)/gi,
  /@import\s+(?:url\(\s*)?["'`]?((?:https?:)?\/\/[^\s"'`);]+)/gi,
  /\bimport\(\s*["'`]((?:https?:)?\/\/[^"'`]+)/gi,
  /\bfrom\s*["'`]((?:https?:)?\/\/[^"'`]+)/gi,
  /\bimportScripts\(\s*["'`]((?:https?:)?\/\/[^"'`]+)/gi,
];

function builtFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));
}

/** What the result pane shows, without whitespace: Monaco wraps long lines in a narrow pane. */
async function responseText(page: Page): Promise<string> {
  return (await page.locator('.graphiql-response .view-lines').innerText()).replace(/\s+/g, '');
}

/** Replaces the operation editor's text. */
async function setOperation(page: Page, text: string): Promise<void> {
  const editor = page.locator('.graphiql-query-editor .monaco-editor .view-lines');
  await editor.click();
  await page.keyboard.press('Control+A');
  await page.keyboard.insertText(text);
  // Monaco closes the first bracket it sees typed, sometimes only after a moment: drop what
  // it added after the cursor until the text is what was typed.
  await expect
    .poll(
      async () => {
        await page.keyboard.press('Control+Shift+End');
        await page.keyboard.press('Delete');
        return (await editor.innerText()).replace(/\u00a0/g, ' ');
      },
      { timeout: 10_000 },
    )
    .toBe(text);
}

// The explorer is the same for every database; SQLite stands for both.
describe('the GraphiQL explorer', () => {
  let server: TestServer;
  const ingested: string[] = [];

  beforeAll(async () => {
    if (!existsSync(join(CLIENT_DIR, 'graphiql', 'index.html'))) {
      throw new Error(`no explorer in ${CLIENT_DIR}: run \`npm run build\` first`);
    }
    server = await startServer(backends[0]!);
    for (const fixture of ['subunit/stestr-failure.subunit', 'subunit/stestr-successful.subunit']) {
      ingested.push((await server.ingest(fixture, { build_name: 'tempest-full' })).run);
    }
  });

  it('is served with every asset from this server', async () => {
    const response = await fetch(`${server.url}/graphiql`);
    expect(response.status).toBe(200);
    expect(response.url).toBe(`${server.url}/graphiql/`);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await response.text();

    const assets = [...html.matchAll(/\b(?:src|href)="([^"]+)"/g)]
      .map((m) => new URL(m[1]!, response.url))
      .filter((url) => url.protocol !== 'data:');
    expect(assets.length).toBeGreaterThan(0);
    for (const asset of assets) {
      expect(asset.origin).toBe(server.url);
      const served = await fetch(asset);
      expect(served.status, asset.href).toBe(200);
    }

    // Everything built (Monaco's workers, lazy chunks, fonts) is served where it was put.
    for (const file of builtFiles(CLIENT_DIR)) {
      const path = relative(CLIENT_DIR, file).split('\\').join('/');
      const served = await fetch(`${server.url}/${path}`);
      expect(served.status, path).toBe(200);
      expect(Buffer.from(await served.arrayBuffer()).equals(readFileSync(file)), path).toBe(true);
    }
  });

  it('fetches nothing from other hosts', () => {
    const files = builtFiles(CLIENT_DIR).filter((f) => /\.(?:html|css|m?js)$/.test(f));
    expect(files.some((f) => f.endsWith('.css'))).toBe(true);
    expect(files.some((f) => f.endsWith('.js'))).toBe(true);
    const external: string[] = [];
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      for (const pattern of FETCHED_URL) {
        for (const match of text.matchAll(pattern)) {
          external.push(`${relative(CLIENT_DIR, file)}: ${match[1]}`);
        }
      }
    }
    expect(external).toEqual([]);
  });

  browserIt('runs queries, shows the docs and streams subscriptions offline', async () => {
    const origin = new URL(server.url).origin;
    const browser = await openBrowser(server.url, { width: 1440, height: 900 });
    try {
      const { page, problems, blocked, sockets } = browser;
      await page.goto(`${server.url}/graphiql`);
      const editor = page.locator('.graphiql-query-editor .monaco-editor .view-lines');
      // The starter query greets a first visit.
      await expect.poll(async () => editor.innerText(), { timeout: 30_000 }).toContain('runs(');

      await setOperation(page, '{ runs(first: 1) { totalCount } }');
      await page.keyboard.press('Control+Enter');
      await expect
        .poll(async () => /"totalCount":(\d+)/.exec(await responseText(page))?.[1], {
          timeout: 30_000,
        })
        .toBe(String(ingested.length));

      await page
        .locator('.graphiql-sidebar button[aria-label="Show Documentation Explorer"]')
        .click();
      const docs = page.locator('.graphiql-doc-explorer');
      await docs.getByText('Query', { exact: true }).click();
      await expect.poll(async () => docs.innerText(), { timeout: 30_000 }).toContain('runs');

      await setOperation(page, 'subscription { runIngested { id } }');
      await page.keyboard.press('Control+Enter');
      // Nothing tells when the browser's subscription is registered on the server, and runs
      // stored before that are not announced to it: store new runs until one shows.
      const stored: string[] = [];
      await expect
        .poll(
          async () => {
            const { run } = await server.ingest('subunit/stestr-all_skips.subunit', {
              build_name: 'tempest-full',
              attempt: String(stored.length),
            });
            stored.push(run);
            const text = await responseText(page);
            return stored.some((id) => text.includes(id));
          },
          { timeout: 30_000, interval: 250 },
        )
        .toBe(true);

      await browser.screenshot('graphiql');

      expect(problems).toEqual([]);
      expect(blocked).toEqual([]);
      // One socket, to this server, opened by the first subscription.
      expect(sockets).toEqual([`${origin.replace(/^http/, 'ws')}/graphql`]);
    } finally {
      await browser.close();
    }
  });
});
