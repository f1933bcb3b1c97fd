import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { createWikipediaProvider } from '../../../src/providers/wikipedia/index.js';
import { linkTargets } from '../../../src/providers/wikipedia/parse.js';
import type { ArtistQuery, Provider } from '../../../src/providers/types.js';
import { SourceError } from '../../../src/errors/source.js';
import { callContext, replayProvider, type ReplayHarness } from '../../support/providerHarness.js';

/**
 * Wikipedia / Wikidata through the real upstream client. No recordings exist for these APIs in
 * the shared set; the bodies are genuine answers kept in public repositories (origins in
 * test/fixtures/wikipedia/README.md), served for the exact requests the provider makes.
 */
function fixture(name: string): string {
  return readFileSync(new URL(`../../fixtures/wikipedia/${name}`, import.meta.url), 'utf8');
}

const WIKIDATA = 'https://www.wikidata.org/w/api.php';
const HOSTS = ['www.wikidata.org', 'en.wikipedia.org', 'es.wikipedia.org', 'de.wikipedia.org'];

function wikidataUrl(qid: string, sites: string[]): string {
  const url = new URL(WIKIDATA);
  url.searchParams.set('action', 'wbgetentities');
  url.searchParams.set('ids', qid);
  url.searchParams.set('props', 'sitelinks');
  url.searchParams.set('sitefilter', sites.join('|'));
  return url.toString();
}

function summaryUrl(language: string, title: string): string {
  return `https://${language}.wikipedia.org/api/rest_v1/page/summary/${encodeURIComponent(title)}`;
}

function query(links: { platform: string; url: string }[]): ArtistQuery {
  return { name: 'someone', musicbrainzId: null, links };
}

let harness: ReplayHarness<Provider> | null = null;
afterEach(async () => {
  await harness?.close();
  harness = null;
});

async function start(): Promise<ReplayHarness<Provider>> {
  harness = await replayProvider(createWikipediaProvider, { extraHosts: HOSTS });
  return harness;
}

const Q42 = { platform: 'wikidata', url: 'https://www.wikidata.org/wiki/Q42' };

describe('Wikipedia / Wikidata biography provider', () => {
  it('goes Wikidata item → sitelink title → summary, in the first wanted language that has an article', async () => {
    const { provider, server } = await start();
    server.route('GET', wikidataUrl('Q42', ['eswiki', 'enwiki']), { body: fixture('wikidata.Q42.sitelinks.json') });
    // The Spanish article is gone (404); the English one answers.
    server.route('GET', summaryUrl('es', 'Douglas_Adams'), { status: 404, body: '{"type":"https://mediawiki.org/wiki/HyperSwitch/errors/not_found"}', contentType: 'application/problem+json' });
    server.route('GET', summaryUrl('en', 'Douglas_Adams'), { body: fixture('summary.en.Douglas_Adams.json') });
    const expected = JSON.parse(fixture('summary.en.Douglas_Adams.json'));

    const bio = await provider.artistBiography!(query([Q42]), callContext({ languages: ['es', 'en'] }));

    expect(bio).toEqual({
      summary: expected.extract,
      content: null,
      source: 'wikipedia',
      language: 'en',
      // This 2017 answer predates `content_urls`; the article URL is built from language and title.
      url: 'https://en.wikipedia.org/wiki/Douglas_Adams',
    });
    expect(server.count('wbgetentities')).toBe(1);
    expect(server.requests.filter((r) => r.host === 'es.wikipedia.org')).toHaveLength(1);
    expect(server.requests.filter((r) => r.host === 'en.wikipedia.org')).toHaveLength(1);
  });

  it('stops at the first language that answers', async () => {
    const { provider, server } = await start();
    server.route('GET', wikidataUrl('Q42', ['enwiki', 'eswiki']), { body: fixture('wikidata.Q42.sitelinks.json') });
    server.route('GET', summaryUrl('en', 'Douglas_Adams'), { body: fixture('summary.en.Douglas_Adams.json') });
    const bio = await provider.artistBiography!(query([Q42]), callContext({ languages: ['en', 'es'] }));
    expect(bio?.language).toBe('en');
    expect(server.requests.filter((r) => r.host === 'es.wikipedia.org')).toHaveLength(0);
  });

  it('uses a direct Wikipedia link without Wikidata, and the summary’s own page URL', async () => {
    const { provider, server } = await start();
    server.route('GET', summaryUrl('en', 'Sergey_Kud-Sverchkov'), { body: fixture('summary.en.Sergey_Kud-Sverchkov.json') });
    const bio = await provider.artistBiography!(
      query([{ platform: 'wikipedia', url: 'https://en.wikipedia.org/wiki/Sergey_Kud-Sverchkov' }]),
      callContext({ languages: ['en'] }),
    );
    expect(bio?.summary?.startsWith('Sergey Vladimirovich Kud-Sverchkov was born on 23 August 1983')).toBe(true);
    expect(bio?.url).toBe('https://en.wikipedia.org/wiki/Sergey_Kud-Sverchkov');
    expect(bio?.language).toBe('en');
    expect(server.count('wbgetentities')).toBe(0);
  });

  it('does not take a disambiguation page for a biography', async () => {
    const { provider, server } = await start();
    server.route('GET', summaryUrl('en', 'Victor_Glover'), { body: fixture('summary.en.Victor_Glover.disambiguation.json') });
    const bio = await provider.artistBiography!(
      query([{ platform: 'wikipedia', url: 'https://en.wikipedia.org/wiki/Victor_Glover' }]),
      callContext({ languages: ['en'] }),
    );
    expect(bio).toBeNull();
    expect(server.requests).toHaveLength(1);
  });

  it('answers null without asking anyone when there are no links (no guessing by name)', async () => {
    const { provider, server } = await start();
    expect(await provider.artistBiography!({ name: 'Douglas Adams', musicbrainzId: null, links: [] }, callContext())).toBeNull();
    expect(await provider.artistBiography!(query([{ platform: 'official', url: 'https://example.org/' }]), callContext())).toBeNull();
    expect(server.requests).toHaveLength(0);
  });

  it('answers null when the item has no article in any wanted language (one Wikidata request)', async () => {
    const { provider, server } = await start();
    server.route('GET', wikidataUrl('Q42', ['frwiki']), { body: fixture('wikidata.Q42.sitelinks.json') });
    expect(await provider.artistBiography!(query([Q42]), callContext({ languages: ['fr'] }))).toBeNull();
    expect(server.requests).toHaveLength(1);
  });

  it('reads a Wikidata error body: a missing item is no biography, other errors are typed failures', async () => {
    const { provider, server } = await start();
    server.route('GET', wikidataUrl('Q999999999', ['enwiki']), {
      body: JSON.stringify({ error: { code: 'no-such-entity', info: 'Could not find an entity with the ID "Q999999999".' } }),
    });
    expect(
      await provider.artistBiography!(query([{ platform: 'wikidata', url: 'https://www.wikidata.org/wiki/Q999999999' }]), callContext({ languages: ['en'] })),
    ).toBeNull();

    server.route('GET', wikidataUrl('Q1', ['enwiki']), { body: JSON.stringify({ error: { code: 'maxlag', info: 'Waiting for a database server' } }) });
    await expect(
      provider.artistBiography!(query([{ platform: 'wikidata', url: 'https://www.wikidata.org/wiki/Q1' }]), callContext({ languages: ['en'] })),
    ).rejects.toSatisfy((error: unknown) => error instanceof SourceError && error.kind === 'BAD_RESPONSE');
  });

  it('a failing Wikipedia is a typed failure, not "no biography"', async () => {
    const { provider, server } = await start();
    server.route('GET', summaryUrl('en', 'Douglas_Adams'), { status: 503, body: 'unavailable' });
    await expect(
      provider.artistBiography!(query([{ platform: 'wikipedia', url: 'https://en.wikipedia.org/wiki/Douglas_Adams' }]), callContext({ languages: ['en'] })),
    ).rejects.toSatisfy((error: unknown) => error instanceof SourceError && error.kind === 'UNAVAILABLE');
  });

  it('reads MusicBrainz-style links: Wikidata item ids and article titles (mobile and percent-encoded too)', () => {
    const { qids, articles } = linkTargets([
      { platform: 'wikidata', url: 'https://www.wikidata.org/wiki/Q27309228' },
      { platform: 'wikipedia', url: 'https://es.m.wikipedia.org/wiki/Legi%C3%A3o_Urbana' },
      { platform: 'official', url: 'http://projectmili.com/' },
    ]);
    expect(qids).toEqual(['Q27309228']);
    expect(articles).toEqual([{ language: 'es', title: 'Legião_Urbana' }]);
  });
});
