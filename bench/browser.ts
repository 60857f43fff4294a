/**
 * Debian's Chromium for the dashboard benchmark, through playwright-core (never a downloaded
 * browser), with the flags the browser tests use. Each page gets a fresh context: an empty
 * HTTP cache, as on a first visit.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';

const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

export interface BenchBrowser {
  /** A page in a fresh context (no cache, no storage); closing it closes the context. */
  page(viewport?: {
    width: number;
    height: number;
  }): Promise<{ page: Page; close(): Promise<void> }>;
  close(): Promise<void>;
}

/** Why the browser cannot run here, or null when it can. */
export function chromiumUnavailable(): string | null {
  return existsSync(CHROMIUM) ? null : `no Chromium at ${CHROMIUM} (Debian package chromium)`;
}

export async function launchChromium(): Promise<BenchBrowser> {
  const browser: Browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: FLAGS,
  });
  return {
    async page(viewport = { width: 1280, height: 900 }) {
      const context = await browser.newContext({ viewport });
      const page = await context.newPage();
      return { page, close: () => context.close() };
    },
    close: () => browser.close(),
  };
}
