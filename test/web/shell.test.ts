import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { STATIC_DIR } from '../../src/web/assets.js';

/**
 * The service worker keeps the web client's shell for offline starts and installs. Its file
 * list is written by hand, so this proves it follows the code: every module the page loads
 * (its scripts and everything they import, the shared ones included) is in the list, and every
 * listed file exists.
 */
const SITE = path.join(STATIC_DIR, 'site');

/** `SHELL` of sw.js: paths relative to the worker's scope (`/`), where `shared/` is served too. */
function shellList(): string[] {
  const source = readFileSync(path.join(SITE, 'sw.js'), 'utf8');
  const block = /const SHELL = \[([\s\S]*?)\];/.exec(source);
  if (!block) throw new Error('sw.js has no SHELL list');
  return [...block[1]!.matchAll(/'([^']+)'/g)].map((match) => match[1]!);
}

/** Files (absolute) a page loads: its scripts and, for modules, everything they import. */
function pageModules(htmlFile: string): string[] {
  const html = readFileSync(htmlFile, 'utf8');
  const pending = [...html.matchAll(/<script\b[^>]*\bsrc="([^"]+)"/g)].map((match) => path.resolve(path.dirname(htmlFile), match[1]!));
  const seen = new Set<string>();
  while (pending.length) {
    const file = pending.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    const code = readFileSync(file, 'utf8');
    for (const match of code.matchAll(/^\s*(?:import|export)\s[^;]*?\sfrom\s+'([^']+)'/gm)) pending.push(path.resolve(path.dirname(file), match[1]!));
    for (const match of code.matchAll(/^\s*import\s+'([^']+)'/gm)) pending.push(path.resolve(path.dirname(file), match[1]!));
    for (const match of code.matchAll(/\bimport\(\s*'([^']+)'\s*\)/g)) pending.push(path.resolve(path.dirname(file), match[1]!));
  }
  return [...seen];
}

/** Where the server serves a static file (`site/x` at `/x`, `shared/x` at `/shared/x`), relative to `/`. */
function servedAt(file: string): string {
  const relative = path.relative(STATIC_DIR, file).split(path.sep).join('/');
  if (relative.startsWith('site/')) return relative.slice('site/'.length);
  if (relative.startsWith('shared/')) return relative;
  throw new Error(`${relative} is not served under the web client's scope`);
}

describe('service worker shell list', () => {
  const shell = shellList();

  it('holds every module the web client imports, shared ones included', () => {
    const modules = pageModules(path.join(SITE, 'index.html')).map(servedAt);
    expect(modules).toContain('main.js');
    expect(modules).toContain('queries.js');
    expect(modules).toContain('shared/graphql.js');
    expect(modules.length).toBeGreaterThan(10);
    expect(modules.filter((file) => !shell.includes(file))).toEqual([]);
  });

  it('holds the page, its stylesheet, the manifest and every icon the manifest names', () => {
    const manifest = JSON.parse(readFileSync(path.join(SITE, 'manifest.webmanifest'), 'utf8')) as { icons: { src: string }[] };
    const html = readFileSync(path.join(SITE, 'index.html'), 'utf8');
    const linked = [...html.matchAll(/<link\b[^>]*\bhref="([^"]+)"/g)].map((match) => match[1]!);
    for (const file of ['./', 'index.html', ...linked, ...manifest.icons.map((icon) => icon.src)]) expect(shell).toContain(file);
  });

  it('lists only files that exist', () => {
    for (const entry of shell.filter((file) => file !== './')) {
      const onDisk = entry.startsWith('shared/') ? path.join(STATIC_DIR, entry) : path.join(SITE, entry);
      expect(existsSync(onDisk), entry).toBe(true);
    }
  });

  it('the admin page loads the same shared modules (served at /shared/)', () => {
    const modules = pageModules(path.join(STATIC_DIR, 'admin', 'index.html')).map((file) => path.relative(STATIC_DIR, file).split(path.sep).join('/'));
    expect(modules).toContain('shared/graphql.js');
    expect(modules).toContain('shared/dom.js');
    expect(modules.every((file) => file.startsWith('admin/') || file.startsWith('shared/'))).toBe(true);
  });
});
