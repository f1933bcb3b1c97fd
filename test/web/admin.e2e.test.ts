import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKeyedGateway, type KeyedGateway } from '../auth/gateway.js';
import { ARTIFACTS, POLL, missingChromium, openBrowser, type OpenBrowser } from '../support/browser.js';
import { startReplayServer, type ReplayServer } from '../support/replayServer.js';
import { results, searchProvider } from '../support/testProviders.js';

/**
 * The Spanish admin page in a real browser (Debian's chromium driven by playwright-core):
 * sign in, deactivate a source and see its key refused by the API, rotate a key and copy it,
 * sign out. Screenshots go to test-artifacts/.
 */
const missing = missingChromium('/admin end-to-end');

// Code run inside the page is passed as strings: the test project has no DOM typings.
const SEARCH = 'query { searchTracks(query: "soleares", first: 5) { source nodes { title } } }';

describe.skipIf(Boolean(missing))('/admin in a real browser', () => {
  let replay: ReplayServer;
  let gateway: KeyedGateway;
  let browser: OpenBrowser;
  let context: BrowserContext;
  let page: Page;
  const foreignRequests: string[] = [];

  beforeAll(async () => {
    replay = await startReplayServer({ extraHosts: ['alpha.test', 'beta.test'] });
    for (const id of ['alpha', 'beta']) replay.route('GET', `https://${id}.test/search?q=soleares&limit=5`, { body: results(`Soleares de ${id}`) });
    gateway = await startKeyedGateway({
      factories: [searchProvider('alpha'), searchProvider('beta')],
      replay,
      env: { CHAIN_SEARCH_TRACKS: 'alpha,beta', BREAKER_THRESHOLD: '1000' },
    });
    browser = await openBrowser({ viewport: { width: 1280, height: 900 }, locale: 'es-ES' });
    context = browser.context;
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: gateway.url });
    page = browser.page;
    page.on('request', (request) => {
      if (!request.url().startsWith(gateway.url)) foreignRequests.push(request.url());
    });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await gateway?.close();
    await replay?.close();
  });

  async function api(key: string) {
    const response = await fetch(`${gateway.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: JSON.stringify({ query: SEARCH }),
    });
    return { status: response.status, body: (await response.json()) as { data?: any; errors?: { extensions?: { code?: string } }[] } };
  }

  const row = (id: string) => page.locator(`tr[data-source="${id}"]`);

  it('refuses a wrong key and a source key, then signs in with the admin key', async () => {
    await page.goto(`${gateway.url}/admin`);
    expect(new URL(page.url()).pathname).toBe('/admin/');
    await expect.poll(() => page.title(), POLL).toBe('Fuentes y claves · Música API');
    // The stylesheet is served and applied (relative URLs resolve under /admin/).
    expect(await page.evaluate('getComputedStyle(document.body).backgroundColor')).toBe('rgb(245, 246, 248)');

    await page.fill('#admin-key', 'mk_admin_nonsense');
    await page.click('#sign-in');
    await expect.poll(() => page.textContent('#login-error'), POLL).toContain('La clave no es válida');

    await page.fill('#admin-key', gateway.keys.get('alpha')!.key);
    await page.click('#sign-in');
    await expect.poll(() => page.textContent('#login-error'), POLL).toContain('no es de administración');
    expect(await page.isVisible('#panel')).toBe(false);

    await page.fill('#admin-key', gateway.keys.get('*')!.key);
    await page.click('#sign-in');
    await page.waitForSelector('tr[data-source="beta"]');
    expect(await page.isVisible('#login')).toBe(false);
    expect(await page.textContent('#session-label')).toContain('Clave de administración inicial');
    expect(await page.evaluate("sessionStorage.getItem('musica.adminKey')")).toBe(gateway.keys.get('*')!.key);

    const alpha = row('alpha');
    expect(await alpha.locator('.source__name').textContent()).toBe('Test alpha');
    expect(await alpha.locator('.chip').allTextContents()).toEqual(['searchTracks', 'track']);
    expect(await alpha.locator('[role=switch]').getAttribute('aria-checked')).toBe('true');
    expect(await alpha.locator('.key__prefix').textContent()).toBe(`${gateway.keys.get('alpha')!.apiKey.prefix}…`);
    expect(await alpha.locator('.badge').allTextContents()).toEqual(['Uso ilimitado', 'Operativa']);
  });

  it('deactivates a source, whose key the API then refuses', async () => {
    const betaKey = gateway.keys.get('beta')!.key;
    expect((await api(betaKey)).body.data.searchTracks.source).toBe('beta');

    await row('beta').locator('[role=switch]').click();
    await expect.poll(() => row('beta').locator('[role=switch]').getAttribute('aria-checked'), POLL).toBe('false');
    expect(await row('beta').locator('.switch__label').textContent()).toBe('Inactiva');
    expect(await page.textContent('#panel-message')).toContain('Test beta ahora está inactiva');

    const refused = await api(betaKey);
    expect(refused.status).toBe(403);
    expect(refused.body.errors?.[0]?.extensions?.code).toBe('SOURCE_INACTIVE');
    // The usage column counted the one request beta's key made while active.
    expect(await row('beta').locator('td[data-label="Uso"]').textContent()).toContain('1 hoy');
  });

  it('rotates a key: the new key is shown once with a copy button; the old key stops working', async () => {
    const old = gateway.keys.get('alpha')!;
    await row('alpha').locator('[data-action=rotate]').click();
    await page.waitForSelector('#confirm-rotate[open]');
    expect(await page.textContent('#confirm-text')).toContain(`${old.apiKey.prefix}…`);
    await page.click('#confirm-rotate-button');

    await page.waitForSelector('#new-key[open]');
    const fresh = await page.inputValue('#new-key-value');
    expect(fresh).toMatch(/^mk_alpha_[A-Za-z0-9_-]{54}$/);
    await page.click('#copy-key');
    await expect.poll(() => page.textContent('#copy-status'), POLL).toBe('Copiada al portapapeles.');
    expect(await page.evaluate('navigator.clipboard.readText()')).toBe(fresh);
    await page.screenshot({ path: path.join(ARTIFACTS, 'admin-new-key.png') });

    await page.click('#close-new-key');
    expect(await page.isVisible('#new-key')).toBe(false);
    expect(await page.inputValue('#new-key-value')).toBe('');
    await expect.poll(() => row('alpha').locator('.key__prefix').textContent(), POLL).toBe(`${fresh.slice(0, old.apiKey.prefix.length)}…`);

    expect((await api(old.key)).status).toBe(401);
    expect((await api(fresh)).body.data.searchTracks.source).toBe('alpha');
    await page.screenshot({ path: path.join(ARTIFACTS, 'admin.png'), fullPage: true });
  });

  it('fits a phone-sized screen without sideways scrolling', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.reload();
    await page.waitForSelector('tr[data-source="alpha"]');
    const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
    expect(overflow).toBeLessThanOrEqual(0);
    // Cells become labelled lines of a card.
    expect(await page.evaluate(`getComputedStyle(document.querySelector('tr[data-source="alpha"] td[data-label="Estado"]')).display`)).toBe('block');
    await page.screenshot({ path: path.join(ARTIFACTS, 'admin-phone.png'), fullPage: true });
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it('signs out, forgetting the key', async () => {
    await page.click('#sign-out');
    await page.waitForSelector('#login:not([hidden])');
    expect(await page.isVisible('#panel')).toBe(false);
    expect(await page.locator('#sources-body tr').count()).toBe(0);
    expect(await page.evaluate("sessionStorage.getItem('musica.adminKey')")).toBeNull();
    await page.reload();
    await page.waitForSelector('#login:not([hidden])');
    expect(await page.isVisible('#panel')).toBe(false);
  });

  it('loaded nothing from outside the gateway', () => {
    expect(foreignRequests).toEqual([]);
  });
});
