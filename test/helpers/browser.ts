/**
 * Debian's Chromium driven by playwright-core, against a test server, with everything a page
 * test checks afterwards: console errors, page errors, requests to other hosts (blocked: the
 * app must work offline) and WebSocket URLs. Never downloads a browser.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { it } from 'vitest';

export const CHROMIUM = '/usr/bin/chromium';

/** Screenshots and other test output, kept after the run (ignored by git). */
export const TEST_OUTPUT = fileURLToPath(new URL('../../test-output/', import.meta.url));

/** `it` for browser tests: by hand without Chromium they skip; under CI they must run. */
export const browserIt = existsSync(CHROMIUM) || process.env.CI === 'true' ? it : it.skip;

export interface BrowserSession {
  readonly context: BrowserContext;
  readonly page: Page;
  /** Console errors and uncaught page errors, in order. */
  readonly problems: string[];
  /** Requests to any other origin than the server's, all refused. */
  readonly blocked: string[];
  readonly sockets: string[];
  /** Saves a full-page screenshot as test-output/NAME.png. */
  screenshot(name: string): Promise<void>;
  close(): Promise<void>;
}

export async function openBrowser(
  serverUrl: string,
  viewport = { width: 1280, height: 900 },
): Promise<BrowserSession> {
  if (!existsSync(CHROMIUM)) throw new Error(`browser tests need Debian's chromium at ${CHROMIUM}`);
  const origin = new URL(serverUrl).origin;
  const profile = mkdtempSync(join(tmpdir(), 'gatewatch-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
  const problems: string[] = [];
  const blocked: string[] = [];
  const sockets: string[] = [];
  await context.route('**', async (route) => {
    const url = new URL(route.request().url());
    if (url.origin === origin) return route.continue();
    blocked.push(url.href);
    return route.abort('blockedbyclient');
  });
  const page = context.pages()[0] ?? (await context.newPage());
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page: ${error.message}`));
  page.on('websocket', (socket) => sockets.push(socket.url()));
  return {
    context,
    page,
    problems,
    blocked,
    sockets,
    async screenshot(name) {
      mkdirSync(TEST_OUTPUT, { recursive: true });
      await page.screenshot({ path: join(TEST_OUTPUT, `${name}.png`), fullPage: true });
    },
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/**
 * The instant the dashboard's browser tests happen at: their runs are made before it and the
 * browser's clock is pinned to it, so that no expectation depends on when the tests run (runs
 * bucketed by hour or day, "the last 24 h", the stale-data warning). A Wednesday midday, half
 * past the hour: no run of a test lies on a bucket's or a period's edge.
 */
export const PINNED_NOW = new Date('2026-05-13T12:30:00.000Z');

/**
 * {@link openBrowser} with the page's clock pinned at {@link PINNED_NOW}: `Date` always says
 * that instant, while timers and `performance.now()` run as usual. Every "now" the dashboard
 * sends (a period's `since`/`until`) and shows (ages) is that instant.
 */
export async function openDashboard(
  serverUrl: string,
  viewport?: { width: number; height: number },
): Promise<BrowserSession> {
  const session = await openBrowser(serverUrl, viewport);
  try {
    await session.context.clock.setFixedTime(PINNED_NOW);
  } catch (error) {
    await session.close();
    throw error;
  }
  return session;
}

const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

/**
 * Accessibility basics of what the page shows now, checked by axe-core (run inside the page,
 * from node_modules: no network): names of controls and images, labels, contrast, landmarks,
 * focusable interactive elements. Returns one line per violation (empty when clean).
 */
export async function accessibilityViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ path: AXE });
  const violations = await page.evaluate(async () => {
    // Runs in the page, where axe-core put itself on the global object.
    const axe = (
      globalThis as unknown as { axe: { run(): Promise<{ violations: AxeViolation[] }> } }
    ).axe;
    const result = await axe.run();
    return result.violations.map(
      (v) =>
        `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
    );
  });
  return violations;
}

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/** How many pixels the page is wider than the viewport (0 when it fits: no sideways scroll). */
export async function horizontalOverflow(page: Page): Promise<number> {
  // A string: test files are type-checked without the DOM's names.
  return page.evaluate<number>(
    'Math.max(0, document.documentElement.scrollWidth - window.innerWidth)',
  );
}
