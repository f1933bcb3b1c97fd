import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARTIFACTS, POLL, missingChromium, openBrowser, type OpenBrowser } from '../support/browser.js';
import { startGateway, type TestGateway } from '../support/gateway.js';

/**
 * GraphiQL at `/graphql` in a real browser: with a key typed in the bar, it loads the schema by
 * introspection, so the Docs panel lists the root types and the editor autocompletes fields.
 * (The introspection query GraphiQL sends is deeper than the API's depth limit allowed before
 * that limit learned to leave introspection alone.)
 */
const noBrowser = missingChromium('GraphiQL end-to-end');

describe.skipIf(Boolean(noBrowser))('GraphiQL at /graphql in a real browser', () => {
  let gateway: TestGateway;
  let browser: OpenBrowser;
  let page: Page;
  const pageErrors: string[] = [];
  const introspection: { status: number; errors: string[] }[] = [];

  beforeAll(async () => {
    gateway = await startGateway({ factories: [] });
    browser = await openBrowser({ viewport: { width: 1280, height: 900 }, locale: 'es-ES' });
    page = browser.page;
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('response', async (response) => {
      const request = response.request();
      if (request.method() !== 'POST' || !request.url().endsWith('/graphql') || !/IntrospectionQuery/.test(request.postData() ?? '')) return;
      const body = (await response.json().catch(() => ({}))) as { errors?: { message: string }[] };
      introspection.push({ status: response.status(), errors: (body.errors ?? []).map((error) => error.message) });
    });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await gateway?.close();
  });

  it('takes the key in its bar and loads the schema by introspection', async () => {
    await page.goto(`${gateway.url}/graphql`, { waitUntil: 'load' });
    expect(await page.getAttribute('html', 'lang')).toBe('es');
    await page.fill('#apikey', 'admin');
    // The key is kept for this tab and GraphiQL starts again with it.
    await Promise.all([page.waitForEvent('load'), page.locator('#apikey').blur()]);
    expect(await page.evaluate("sessionStorage.getItem('musica-api-key')")).toBe('admin');
    await page.waitForSelector('.graphiql-container');
    await expect.poll(() => introspection.length, POLL).toBeGreaterThan(0);
    expect(introspection.at(-1)).toEqual({ status: 200, errors: [] });
  });

  it('opens the Docs panel with the schema', async () => {
    await page.click('button[aria-label="Show Documentation Explorer"]');
    const docs = page.locator('.graphiql-doc-explorer');
    await docs.waitFor(POLL);
    await expect.poll(() => docs.textContent(), POLL).toContain('Root Types');
    expect(await docs.textContent()).toContain('query: Query');
    await docs.locator('a:text-is("Query")').first().click();
    await expect.poll(() => docs.textContent(), POLL).toContain('searchTracks');
    await page.screenshot({ path: path.join(ARTIFACTS, 'graphiql-docs.png') });
  });

  it('autocompletes a field in the editor', async () => {
    const editor = page.locator('.graphiql-query-editor .CodeMirror').first();
    await editor.click();
    await page.keyboard.press('Control+A');
    await page.keyboard.press('Delete');
    await page.keyboard.type('{ searchT');
    const hints = page.locator('.CodeMirror-hints .CodeMirror-hint');
    await hints.first().waitFor(POLL);
    expect(await hints.allTextContents()).toContain('searchTracks');
    await page.screenshot({ path: path.join(ARTIFACTS, 'graphiql-autocomplete.png') });
  });

  it('raised no page errors', () => {
    expect(pageErrors).toEqual([]);
  });
});
