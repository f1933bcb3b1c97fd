import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { textIn } from '../../src/domain/text.js';
import type { License } from '../../src/domain/types.js';
import { createAppleProvider } from '../../src/providers/apple/index.js';
import { freeLicense } from '../../src/providers/internetarchive/license.js';
import { licenseFromCcUrl } from '../../src/providers/jamendo/license.js';
import { createLastfmProvider } from '../../src/providers/lastfm/index.js';
import { createMusicBrainzProvider } from '../../src/providers/musicbrainz/index.js';
import { createSoundcloudProvider } from '../../src/providers/soundcloud/index.js';
import { licenseOf as soundcloudLicense } from '../../src/providers/soundcloud/parse.js';
import { artistKind, artistKindLabel } from '../../src/schema/labels/artistTypes.js';
import { chartTitle } from '../../src/schema/labels/chartTitle.js';
import { licenseCode, licenseName } from '../../src/schema/labels/licenses.js';
import { loadIndex, readRecording, readRecordingJson, skipWithoutRecordings } from '../support/recordings.js';
import { startReplayServer, type ReplayServer } from '../support/replayServer.js';
import { startGateway, type GraphQLBody, type TestGateway } from '../support/gateway.js';

/**
 * Texts the API builds for people, in the language of the request: chart titles, licence names,
 * artist types. Units on the names sources really produce, then through the whole gateway on
 * genuine answers (Apple's published RSS sample, Last.fm, MusicBrainz and SoundCloud recordings).
 */
const SPANISH = 'es-ES,es;q=0.9';

async function ask(url: string, query: string, language?: string): Promise<GraphQLBody<any>> {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(language ? { 'accept-language': language } : {}) },
    body: JSON.stringify({ query }),
  });
  const body = (await response.json()) as GraphQLBody<any>;
  expect(body.errors, JSON.stringify(body.errors)).toBeUndefined();
  return body;
}

describe('licence names: generic phrases translated, proper names kept, a code for programs', () => {
  const both = (license: License) => ({ en: textIn(licenseName(license), 'en'), es: textIn(licenseName(license), 'es'), code: licenseCode(license) });

  it('translates what SoundCloud and Bandcamp call "All rights reserved"', () => {
    expect(both(soundcloudLicense('all-rights-reserved')!)).toEqual({ en: 'All rights reserved', es: 'Todos los derechos reservados', code: 'ALL-RIGHTS-RESERVED' });
    expect(both({ name: 'All rights reserved', url: null })).toEqual({ en: 'All rights reserved', es: 'Todos los derechos reservados', code: 'ALL-RIGHTS-RESERVED' });
    expect(both(soundcloudLicense('no-rights-reserved')!)).toEqual({ en: 'No rights reserved (CC0)', es: 'Sin derechos reservados (CC0)', code: 'CC0-1.0' });
  });

  it("gives spelled-out Creative Commons names their official Spanish elements; the short names stay", () => {
    expect(both(soundcloudLicense('cc-by-nc-sa')!)).toEqual({
      en: 'Creative Commons Attribution-NonCommercial-ShareAlike (CC BY-NC-SA)',
      es: 'Creative Commons Atribución-NoComercial-CompartirIgual (CC BY-NC-SA)',
      code: 'CC-BY-NC-SA',
    });
    expect(both(soundcloudLicense('cc-by-nd')!)).toMatchObject({ es: 'Creative Commons Atribución-SinDerivadas (CC BY-ND)', code: 'CC-BY-ND' });
    expect(both(licenseFromCcUrl('http://creativecommons.org/licenses/by-nc-sa/3.0/')!)).toEqual({ en: 'CC BY-NC-SA 3.0', es: 'CC BY-NC-SA 3.0', code: 'CC-BY-NC-SA-3.0' });
    expect(both(licenseFromCcUrl('http://creativecommons.org/licenses/by-nc-sa/2.0/fr/')!)).toEqual({ en: 'CC BY-NC-SA 2.0 FR', es: 'CC BY-NC-SA 2.0 FR', code: 'CC-BY-NC-SA-2.0-FR' });
    expect(both(freeLicense('https://creativecommons.org/publicdomain/zero/1.0/')!)).toEqual({ en: 'CC0 1.0', es: 'CC0 1.0', code: 'CC0-1.0' });
    expect(both({ name: 'Creative Commons BY 4.0', url: 'https://creativecommons.org/licenses/by/4.0/' })).toEqual({
      en: 'Creative Commons BY 4.0',
      es: 'Creative Commons BY 4.0',
      code: 'CC-BY-4.0',
    });
  });

  it('translates the public domain as the Internet Archive names it', () => {
    expect(both(freeLicense('http://creativecommons.org/publicdomain/mark/1.0/')!)).toEqual({ en: 'Public Domain Mark 1.0', es: 'Marca de Dominio Público 1.0', code: 'PDM-1.0' });
    expect(both(freeLicense('http://creativecommons.org/licenses/publicdomain/')!)).toEqual({ en: 'Public Domain', es: 'Dominio público', code: 'PUBLIC-DOMAIN' });
  });

  it('leaves a name it does not know as the source wrote it, without a code', () => {
    expect(both({ name: 'Licencia Arte Libre', url: 'https://artlibre.org/licence/lal/' })).toEqual({ en: 'Licencia Arte Libre', es: 'Licencia Arte Libre', code: null });
  });
});

describe('artist types', () => {
  it("maps MusicBrainz's types and Bandcamp's artist/label words to the enum, with labels in both languages", () => {
    const kinds = ['Person', 'Group', 'Orchestra', 'Choir', 'Character', 'Other', 'label', 'artist', null].map(artistKind);
    expect(kinds).toEqual(['PERSON', 'GROUP', 'ORCHESTRA', 'CHOIR', 'CHARACTER', 'OTHER', 'OTHER', null, null]);
    const labels = (['PERSON', 'GROUP', 'ORCHESTRA', 'CHOIR', 'CHARACTER', 'OTHER'] as const).map((kind) => [artistKindLabel(kind, 'es'), artistKindLabel(kind, 'en')]);
    expect(labels).toEqual([
      ['Persona', 'Person'],
      ['Grupo', 'Group'],
      ['Orquesta', 'Orchestra'],
      ['Coro', 'Choir'],
      ['Personaje', 'Character'],
      ['Otro', 'Other'],
    ]);
  });
});

describe('chart titles', () => {
  const title = (scope: string, genre: string | null, language: 'es' | 'en', sourceTitle: string | null = 'Top Songs') =>
    chartTitle({ scope, sourceName: 'Deezer', genre, sourceTitle }, language);

  it('names the source, then what the chart is, in the language asked', () => {
    expect([title('ES', null, 'es'), title('ES', null, 'en')]).toEqual(['Deezer · Lo más escuchado en España', 'Deezer · Most played in Spain']);
    expect([title('GLOBAL', null, 'es'), title('GLOBAL', null, 'en')]).toEqual(['Deezer · Lo más escuchado en el mundo', 'Deezer · Most played worldwide']);
    expect([title('US', null, 'es'), title('GB', null, 'es')]).toEqual(['Deezer · Lo más escuchado en Estados Unidos', 'Deezer · Lo más escuchado en Reino Unido']);
  });

  it('says the genre, translated where Spanish has its own word', () => {
    expect([title('GLOBAL', 'rock', 'es'), title('GLOBAL', 'rock', 'en')]).toEqual(['Deezer · Rock', 'Deezer · Rock']);
    expect([title('GLOBAL', 'electronic', 'es'), title('GLOBAL', 'Electronic', 'en')]).toEqual(['Deezer · Electrónica', 'Deezer · Electronic']);
    expect([title('GLOBAL', 'films/games', 'es'), title('GLOBAL', 'films/games', 'en')]).toEqual(['Deezer · Cine y videojuegos', 'Deezer · Films/Games']);
    expect([title('MX', 'latin', 'es'), title('MX', 'latin', 'en')]).toEqual(['Deezer · Música latina en México', 'Deezer · Latin in Mexico']);
    expect(title('GLOBAL', 'shoegaze', 'es')).toBe('Deezer · Shoegaze');
  });

  it('names the service, not how the gateway reaches it', () => {
    const titled = (sourceName: string) => chartTitle({ scope: 'GLOBAL', sourceName, genre: null, sourceTitle: null }, 'es');
    expect([titled('Apple Music (RSS)'), titled('Scraping YouTube Music'), titled('Last.fm')]).toEqual([
      'Apple Music · Lo más escuchado en el mundo',
      'YouTube Music · Lo más escuchado en el mundo',
      'Last.fm · Lo más escuchado en el mundo',
    ]);
  });

  it("falls back to the source's own title only for a country code with no name", () => {
    expect(title('QQ', null, 'es')).toBe('Top Songs');
    expect(title('QQ', null, 'es', null)).toBe('Deezer · Lo más escuchado en QQ');
    expect(title('ZZ', null, 'en', null)).toBe('Deezer · Most played in ZZ');
  });
});

const fixture = (source: string, name: string) => readFileSync(new URL(`../fixtures/${source}/${name}`, import.meta.url), 'utf8');
const lastfm = (params: Record<string, string | number>) => {
  const url = new URL('https://ws.audioscrobbler.com/2.0/');
  for (const [key, value] of Object.entries(params)) url.searchParams.set(key, String(value));
  return url.toString();
};

describe.skipIf(skipWithoutRecordings('lastfm'))('chart titles through the gateway', () => {
  let replay: ReplayServer;
  let gateway: TestGateway;

  beforeAll(async () => {
    replay = await startReplayServer({ extraHosts: ['rss.applemarketingtools.com', 'ws.audioscrobbler.com'] });
    gateway = await startGateway({
      factories: [createAppleProvider, createLastfmProvider],
      replay,
      env: { LASTFM_API_KEY: 'test-key', CHAIN_CHART: 'apple', CHAIN_CHART_GLOBAL: 'lastfm' },
    });
    // Apple's published sample feed (US) stands for the Spanish storefront's answer: same shape.
    replay.route('GET', 'https://rss.applemarketingtools.com/api/v2/es/music/most-played/2/songs.json', { body: fixture('apple', 'most-played.us.songs.json') });
    replay.route('GET', lastfm({ method: 'chart.gettoptracks', limit: 2, page: 1 }), { body: fixture('lastfm', 'chart.gettoptracks.json') });
    const rap = loadIndex('lastfm').find((entry) => entry.request.url.includes('method=tag.getTopTracks') && entry.request.url.includes('tag=rap'))!;
    replay.route('GET', lastfm({ method: 'tag.gettoptracks', tag: 'rap', limit: 2, page: 1 }), { body: readRecording('lastfm', rap.file) });
  });
  afterAll(async () => {
    await gateway.close();
    await replay.close();
  });

  it.each([
    ['chart(country: "ES", first: 2)', 'Apple Music · Lo más escuchado en España', 'Apple Music · Most played in Spain'],
    ['chart(first: 2)', 'Last.fm · Lo más escuchado en el mundo', 'Last.fm · Most played worldwide'],
    ['chart(genre: "rap", first: 2)', 'Last.fm · Rap', 'Last.fm · Rap'],
  ])('%s', async (field, es, en) => {
    const spanish = await ask(gateway.url, `{ chart: ${field} { title entries { position } } }`, SPANISH);
    expect(spanish.data.chart.title).toBe(es);
    expect(spanish.data.chart.entries.length).toBeGreaterThan(0);
    expect((await ask(gateway.url, `{ chart: ${field} { title } }`)).data.chart.title).toBe(en);
    expect((await ask(gateway.url, `{ chart: ${field} { title } }`, 'en-GB,en;q=0.9')).data.chart.title).toBe(en);
  });
});

describe.skipIf(skipWithoutRecordings('musicbrainz', 'soundcloud'))('artist types and licences through the gateway', () => {
  let replay: ReplayServer;
  let gateway: TestGateway;

  beforeAll(async () => {
    replay = await startReplayServer({ sources: ['musicbrainz', 'soundcloud'], includeSubsetParams: ['inc'] });
    gateway = await startGateway({ factories: [createMusicBrainzProvider, createSoundcloudProvider], replay, env: { MUSICBRAINZ_RPS: '50' } });
  });
  afterAll(async () => {
    await gateway.close();
    await replay.close();
  });

  it('Nirvana is a group: GROUP, «Grupo» in Spanish, and `type` still the source\'s word', async () => {
    const raw = readRecordingJson('musicbrainz', 'artist-5b11f4ce-a62d-471e-81fc-a69a8278c7da-inc-url-rels-fmt-json-c53a47.json');
    expect(raw.type).toBe('Group');
    const query = '{ artist(id: "musicbrainz:artist:5b11f4ce-a62d-471e-81fc-a69a8278c7da") { name type kind typeLabel } }';
    expect((await ask(gateway.url, query, SPANISH)).data.artist).toEqual({ name: raw.name, type: 'Group', kind: 'GROUP', typeLabel: 'Grupo' });
    expect((await ask(gateway.url, query)).data.artist).toEqual({ name: raw.name, type: 'Group', kind: 'GROUP', typeLabel: 'Group' });
  });

  it("SoundCloud's licences: «Todos los derechos reservados» and the Creative Commons name in Spanish, the same code in both", async () => {
    const search = readRecordingJson('soundcloud', 'search-tracks-lill-uzi-vert-offset0.json');
    expect(new Set(search.collection.map((track: { license: string }) => track.license))).toEqual(new Set(['all-rights-reserved']));
    const query = '{ searchTracks(query: "lill uzi vert", first: 10, source: "soundcloud") { nodes { license { name code url } } } }';
    const spanish = (await ask(gateway.url, query, SPANISH)).data.searchTracks.nodes.map((node: { license: unknown }) => node.license);
    expect(spanish).toEqual(Array(10).fill({ name: 'Todos los derechos reservados', code: 'ALL-RIGHTS-RESERVED', url: null }));
    const english = (await ask(gateway.url, query)).data.searchTracks.nodes.map((node: { license: unknown }) => node.license);
    expect(english).toEqual(Array(10).fill({ name: 'All rights reserved', code: 'ALL-RIGHTS-RESERVED', url: null }));

    const cc = '{ track(id: "soundcloud:track-permalink:wearecc/open-minds-ep-21-dr-beth-harris-and-dr-steven-zucker-of-smarthistory") { license { name code url } } }';
    expect((await ask(gateway.url, cc, SPANISH)).data.track.license).toEqual({
      name: 'Creative Commons Atribución (CC BY)',
      code: 'CC-BY',
      url: 'https://creativecommons.org/licenses/by/',
    });
    expect((await ask(gateway.url, cc)).data.track.license.name).toBe('Creative Commons Attribution (CC BY)');
  });
});
