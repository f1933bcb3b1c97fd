import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARTIFACTS, missingChromium, openBrowser, type OpenBrowser } from '../support/browser.js';
import { startGateway, type TestGateway } from '../support/gateway.js';

/**
 * The web client as an installable app, as Chromium judges it (the same engine Android's
 * install prompt and Bubblewrap's Trusted Web Activity use): the manifest parses without
 * errors, every icon it names is served with the size it claims, a maskable icon is there, and
 * `Page.getInstallabilityErrors` (Chrome DevTools Protocol) reports nothing.
 */
const noBrowser = missingChromium('/ web client installability');

interface ManifestIcon {
  src: string;
  sizes: string;
  type: string;
  purpose?: string;
}

describe.skipIf(Boolean(noBrowser))('/ as an installable app (PWA) in a real browser', () => {
  let gateway: TestGateway;
  let browser: OpenBrowser;
  let page: Page;

  beforeAll(async () => {
    gateway = await startGateway({ factories: [] });
    browser = await openBrowser({ viewport: { width: 412, height: 915 }, locale: 'es-ES', isMobile: true, hasTouch: true });
    page = browser.page;
    await page.goto(`${gateway.url}/`);
    await page.waitForSelector('#login:not([hidden])');
    // The service worker is part of what makes the app installable and usable offline.
    await page.evaluate('navigator.serviceWorker.ready');
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await gateway?.close();
  });

  it('has a manifest Chromium parses without errors, in Spanish, standalone', async () => {
    const cdp = await page.context().newCDPSession(page);
    const { url, errors, data } = (await cdp.send('Page.getAppManifest')) as { url: string; errors: { message: string; critical: number }[]; data?: string };
    expect(url).toBe(`${gateway.url}/manifest.webmanifest`);
    expect(errors).toEqual([]);
    const manifest = JSON.parse(data!);
    expect(manifest).toMatchObject({ name: 'Música', short_name: 'Música', start_url: '/', scope: '/', display: 'standalone', lang: 'es' });
    expect(manifest.theme_color).toMatch(/^#[0-9a-f]{6}$/i);
  });

  it('serves every icon of the manifest with the size it claims, PNG 192 and 512 and a maskable one among them', async () => {
    const manifest = await page.evaluate<{ icons: ManifestIcon[] }>("fetch('manifest.webmanifest').then((r) => r.json())");
    const measured: { src: string; type: string; purpose: string; sizes: string; status: number; contentType: string | null; width: number; height: number }[] = [];
    for (const icon of manifest.icons) {
      // Raster icons are decoded to measure them; an SVG (sizes "any") has no size of its own.
      const served = await page.evaluate<{ status: number; contentType: string | null; width: number; height: number }>(`(async () => {
        const response = await fetch(${JSON.stringify(icon.src)});
        const blob = await response.blob();
        const bitmap = ${JSON.stringify(icon.sizes)} === 'any' ? { width: 0, height: 0 } : await createImageBitmap(blob);
        return { status: response.status, contentType: response.headers.get('content-type'), width: bitmap.width, height: bitmap.height };
      })()`);
      measured.push({ ...icon, purpose: icon.purpose ?? 'any', ...served });
    }
    for (const icon of measured) {
      expect(icon.status, icon.src).toBe(200);
      expect(icon.contentType, icon.src).toContain(icon.type);
      if (icon.sizes !== 'any') expect(`${icon.width}x${icon.height}`, icon.src).toBe(icon.sizes);
    }
    const png = (size: number, purpose: string) => measured.some((icon) => icon.type === 'image/png' && icon.sizes === `${size}x${size}` && icon.purpose.split(' ').includes(purpose));
    expect(png(192, 'any')).toBe(true);
    expect(png(512, 'any')).toBe(true);
    expect(png(512, 'maskable')).toBe(true);
  });

  it('is installable: Chromium reports no installability errors', async () => {
    const cdp = await page.context().newCDPSession(page);
    const { installabilityErrors } = (await cdp.send('Page.getInstallabilityErrors')) as { installabilityErrors: { errorId: string; errorArguments: unknown[] }[] };
    expect(installabilityErrors).toEqual([]);
    await page.screenshot({ path: path.join(ARTIFACTS, 'site-install.png') });
  });
});
