import type { Page } from 'playwright-core';
import { startAuth, type AuthService, type IssuedKey } from '../../src/auth/index.js';
import type { Db } from '../../src/db/types.js';
import { silentLogger } from '../../src/logger.js';
import type { Services } from '../../src/services.js';
import { withContractFields } from '../support/contractSchema.js';
import { openBrowser, type OpenBrowser } from '../support/browser.js';

/** A phone screen, as most users of the web client (and its APK) have. */
export const PHONE = { width: 360, height: 740 };

/** A fresh chromium profile on a phone-sized screen that can reach only `origin`; other requests are recorded and refused. */
export async function phoneBrowser(origin: string, foreign: { url: string; type: string }[]): Promise<OpenBrowser> {
  const browser = await openBrowser({ viewport: PHONE, locale: 'es-ES', isMobile: true, hasTouch: true });
  // Nothing leaves the machine: covers and photos point at the sources' real hosts.
  await browser.context.route('**/*', async (route) => {
    const request = route.request();
    if (request.url().startsWith(origin)) return route.continue();
    foreign.push({ url: request.url(), type: request.resourceType() });
    return route.abort();
  });
  return browser;
}

/** Signs in at `/` with `key` and waits for the first view. */
export async function signIn(page: Page, origin: string, key: string, hash = ''): Promise<void> {
  await page.goto(`${origin}/${hash}`);
  await page.waitForSelector('#login:not([hidden])');
  await page.fill('#api-key', key);
  await page.click('#sign-in');
  await page.waitForSelector('#login', { state: 'hidden' });
}

/**
 * The real keys and sources registry on `db`, as the server has it: compose the services with
 * it as their access control, then `issueKeys` registers their sources, so the client meets real
 * keys, source names and endpoints.
 */
export async function openKeys(db: Db): Promise<AuthService> {
  return (await startAuth({ db, logger: silentLogger })).auth;
}

/** The keys issued at first start, by scope (`*` = admin). */
export async function issueKeys(auth: AuthService, services: Services): Promise<Map<string, IssuedKey>> {
  services.auth = auth;
  const { issued } = await auth.registerSources(services.providers);
  return new Map(issued.map((key) => [key.apiKey.scope, key]));
}

let announced = false;

/** `Type.field`s the mocked schema added (empty once the core serves them all). */
export const contractStub: { added: string[] } = { added: [] };

/**
 * For `vi.mock('../../src/schema/index.js', …)`: the API schema plus the CONTRACTS.md fields the
 * core does not serve yet (see test/support/contractSchema.ts), printed once when any is added.
 */
export async function contractSchemaModule(importOriginal: () => Promise<typeof import('../../src/schema/index.js')>) {
  const real = await importOriginal();
  return {
    ...real,
    async buildApiSchema() {
      const { schema, added } = withContractFields(await real.buildApiSchema());
      contractStub.added = added;
      if (added.length && !announced) {
        announced = true;
        console.warn(`[contract] the core does not serve ${added.join(', ')} yet: browser tests add them with empty answers`);
      }
      return schema;
    },
  };
}
