import * as cheerio from 'cheerio';
import type { License } from '../../domain/types.js';
import { text } from '../shared/parse.js';
import { isRecord } from '../shared/drift.js';
import type { BcBand, BcLdJson, BcTralbum } from './types.js';

/**
 * Reading Bandcamp's HTML. Each reader pulls out what the page states (embedded JSON, a few
 * elements) and nothing more; turning it into domain objects is `parse.ts`'s job. A selector
 * that finds nothing yields null/empty, and the parser decides whether that is a layout change.
 */

type Root = cheerio.CheerioAPI;

function jsonAttribute(root: Root, attribute: string): Record<string, unknown> | null {
  const raw = root(`[${attribute}]`).first().attr(attribute);
  if (!raw) return null;
  try {
    const value: unknown = JSON.parse(raw);
    return isRecord(value) ? value : null;
  } catch {
    return null;
  }
}

function ldJson(root: Root): BcLdJson | null {
  for (const element of root('script[type="application/ld+json"]').toArray()) {
    try {
      const value: unknown = JSON.parse(root(element).text());
      if (isRecord(value) && typeof value['@type'] === 'string') return value as BcLdJson;
    } catch {
      // Another ld+json block may still be readable.
    }
  }
  return null;
}

const squash = (value: string | undefined) => text(value?.replace(/\s+/g, ' '));

export interface ReleasePage {
  tralbum: BcTralbum | null;
  band: BcBand | null;
  ld: BcLdJson | null;
  tags: string[];
  /** Null when the page has no licence block; `all rights reserved` is a licence too. */
  license: License | null;
}

/** Bandcamp links a Creative Commons release to creativecommons.org from its licence block. */
function licenseOf(root: Root): License | null {
  const block = root('#license');
  if (block.length === 0) return null;
  const link = block.find('a[href*="creativecommons.org"]').first().attr('href');
  if (link) {
    const path = /creativecommons\.org\/(?:licenses|publicdomain)\/([a-z-]+)\/(\d+(?:\.\d+)?)?/i.exec(link);
    const name = path ? `Creative Commons ${path[1]!.toUpperCase()}${path[2] ? ` ${path[2]}` : ''}` : 'Creative Commons';
    return { name: name.replace('Creative Commons ZERO', 'CC0'), url: link };
  }
  const statement = squash(block.text());
  return statement && /all rights reserved/i.test(statement) ? { name: 'All rights reserved', url: null } : null;
}

export function readReleasePage(html: string): ReleasePage {
  const root = cheerio.load(html);
  return {
    tralbum: jsonAttribute(root, 'data-tralbum') as BcTralbum | null,
    band: jsonAttribute(root, 'data-band') as BcBand | null,
    ld: ldJson(root),
    tags: root('.tralbum-tags a.tag')
      .toArray()
      .map((tag) => squash(root(tag).text()))
      .filter((tag): tag is string => tag !== null),
    license: licenseOf(root),
  };
}

export interface GridItem {
  /** `album` or `track`, from `data-item-id="album-123"`. */
  kind: string | null;
  itemId: string | null;
  href: string | null;
  title: string | null;
  /** Compilations credit each release to its own artist. */
  artistOverride: string | null;
  imageUrl: string | null;
}

export interface ArtistPage {
  band: BcBand | null;
  /** The sidebar with name, photo, location, bio and links; absent on pages of artists with no releases. */
  hasProfile: boolean;
  name: string | null;
  location: string | null;
  photoUrl: string | null;
  bio: string | null;
  links: { url: string; title: string | null }[];
  /** The discography grid, or null when the page shows something else (a release, nothing). */
  grid: GridItem[] | null;
}

export function readArtistPage(html: string): ArtistPage {
  const root = cheerio.load(html);
  const profile = root('#bio-container');
  const gridItems = root('li.music-grid-item');
  return {
    band: jsonAttribute(root, 'data-band') as BcBand | null,
    hasProfile: profile.length > 0,
    name: squash(profile.find('#band-name-location .title').first().text()),
    location: squash(profile.find('#band-name-location .location').first().text()),
    photoUrl: text(profile.find('a.popupImage').first().attr('href')) ?? text(profile.find('img.band-photo').first().attr('src')),
    bio: text(profile.find('#bio-text').first().text()),
    links: profile
      .find('#band-links a[href]')
      .toArray()
      .map((link) => ({ url: root(link).attr('href')!, title: squash(root(link).text()) })),
    grid:
      gridItems.length === 0
        ? null
        : gridItems.toArray().map((element) => {
            const item = root(element);
            const [kind, itemId] = (item.attr('data-item-id') ?? '').split('-');
            const image = item.find('.art img').first();
            const title = item.find('p.title').first().clone();
            const override = squash(title.find('.artist-override').text());
            title.find('.artist-override').remove();
            return {
              kind: text(kind),
              itemId: text(itemId),
              href: text(item.find('a[href]').first().attr('href')),
              title: squash(title.text()),
              artistOverride: override,
              // Below the first rows the grid lazy-loads: the real address is in data-original.
              imageUrl: text(image.attr('data-original')) ?? text(image.attr('src')?.includes('bcbits.com') ? image.attr('src') : undefined),
            };
          }),
  };
}

export interface SearchItem {
  /** `a` album, `t` track, `b` artist or label (from the item's `data-search`). */
  type: string | null;
  itemType: string | null;
  title: string | null;
  url: string | null;
  subhead: string | null;
  length: string | null;
  released: string | null;
  imageUrl: string | null;
  genre: string | null;
  tags: string[];
}

export interface SearchPage {
  /** False when the page has neither a results list nor the results area: not a search page. */
  recognised: boolean;
  items: SearchItem[];
  nextPage: number | null;
}

export function readSearchPage(html: string): SearchPage {
  const root = cheerio.load(html);
  const list = root('ul.result-items');
  const recognised = list.length > 0 || root('.leftcol .results, .search .results').length > 0;
  const items = list
    .find('li.searchresult')
    .toArray()
    .map((element): SearchItem => {
      const item = root(element);
      let type: string | null = null;
      try {
        const data: unknown = JSON.parse(item.attr('data-search') ?? '');
        type = isRecord(data) ? text(data.type) : null;
      } catch {
        type = null;
      }
      const info = item.find('.result-info');
      const tags = squash(info.find('.tags').text())?.replace(/^tags:\s*/i, '');
      return {
        type,
        itemType: squash(info.find('.itemtype').text())?.toUpperCase() ?? null,
        title: squash(info.find('.heading a').first().text()) ?? squash(info.find('.heading').text()),
        url: squash(info.find('.itemurl a').first().text()) ?? text(info.find('.heading a').first().attr('href')),
        subhead: squash(info.find('.subhead').text()),
        length: squash(info.find('.length').text()),
        released: squash(info.find('.released').text()),
        imageUrl: text(item.find('.art img').first().attr('src')),
        genre: squash(info.find('.genre').text())?.replace(/^genre:\s*/i, '') ?? null,
        tags: tags ? tags.split(',').map((tag) => tag.trim()).filter(Boolean) : [],
      };
    });
  const next = root('a.next[href]').first().attr('href');
  const page = next ? Number(new URLSearchParams(next.replace(/^[^?]*\?/, '')).get('page')) : NaN;
  return { recognised, items, nextPage: Number.isInteger(page) && page > 0 ? page : null };
}
