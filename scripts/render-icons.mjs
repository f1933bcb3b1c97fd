#!/usr/bin/env node
// Draws the web client's PNG icons from its SVGs with headless Chromium (playwright-core and
// Debian's chromium, as the browser tests use). Run once after changing an SVG and commit the
// PNGs: Android (Bubblewrap, the install prompt) wants PNG icons of 192 and 512 px, and a
// maskable one whose drawing stays inside the safe zone.
//   node scripts/render-icons.mjs
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const SITE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../src/web/static/site');
const ICONS = [
  { svg: 'icon.svg', png: 'icon-192.png', size: 192 },
  { svg: 'icon.svg', png: 'icon-512.png', size: 512 },
  { svg: 'icon-maskable.svg', png: 'icon-maskable-192.png', size: 192 },
  { svg: 'icon-maskable.svg', png: 'icon-maskable-512.png', size: 512 },
];

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
});
try {
  const page = await browser.newPage({ deviceScaleFactor: 1 });
  for (const { svg, png, size } of ICONS) {
    const source = await readFile(path.join(SITE, svg));
    await page.setViewportSize({ width: size, height: size });
    await page.setContent(
      `<!doctype html><html><body style="margin:0;background:transparent"><img src="data:image/svg+xml;base64,${source.toString('base64')}" width="${size}" height="${size}" style="display:block"></body></html>`,
    );
    await page.locator('img').evaluate((img) => img.decode());
    await page.screenshot({ path: path.join(SITE, png), omitBackground: true, clip: { x: 0, y: 0, width: size, height: size } });
    console.log(`${png}: ${size}×${size} from ${svg}`);
  }
} finally {
  await browser.close();
}
