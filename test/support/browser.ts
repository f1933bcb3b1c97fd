import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core';

/**
 * Debian's chromium driven by playwright-core, as the machine allows it: headless, no sandbox
 * (root), and none of the background traffic a closed network refuses.
 */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Screenshots of browser tests. */
export const ARTIFACTS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../test-artifacts');

/** The page reacts after a network round trip; on a busy shared machine that can exceed vitest's 1 s default. */
export const POLL = { timeout: 10_000 };

/** Null when chromium is installed; otherwise prints and returns why `what` is skipped. */
export function missingChromium(what: string): string | null {
  if (existsSync(CHROMIUM)) return null;
  const reason = `${CHROMIUM} not found (install Debian's chromium: node scripts/prepare-test-env.mjs)`;
  console.warn(`[skip] ${what}: ${reason}`);
  return reason;
}

export interface OpenBrowser {
  context: BrowserContext;
  page: Page;
  close(): Promise<void>;
}

/** A fresh profile (deleted on close), so no state leaks between tests. */
export async function openBrowser(options: BrowserContextOptions): Promise<OpenBrowser> {
  await mkdir(ARTIFACTS, { recursive: true });
  const profile = await mkdtemp(path.join(os.tmpdir(), 'musica-chromium-'));
  const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: FLAGS, ...options });
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context,
    page,
    async close() {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}
