import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMusicBrainzProvider, ISRC_INCLUDES, LOOKUP_INCLUDES } from '../../../src/providers/musicbrainz/index.js';
import { callContext, replayProvider, type ReplayHarness, sourceErrorOf as sourceError } from '../../support/providerHarness.js';
import { loadIndex, readRecording, skipWithoutRecordings } from '../../support/recordings.js';
import { recordedJson } from './fixtures.js';

const WS = 'https://musicbrainz.org/ws/2';
const NIRVANA = '5b11f4ce-a62d-471e-81fc-a69a8278c7da';
const LEONARD_COHEN = '65314b12-0e08-43fa-ba33-baaa7b874c15';
const mb = (pathAndQuery: string) => recordedJson('musicbrainz', `${WS}/${pathAndQuery}`);
/** Linkin Park, Meteora (European Enhanced CD): recorded with nearly every include, recording-level url relationships among them. */
const METEORA = 'c9d52105-5c20-3216-bc1b-e54918f8f688';
const meteora = () => mb(`release/${METEORA}?inc=aliases+annotation+artist-credits+genres+tags+collections+labels+media+discids+recordings+release-groups+ratings+isrcs+artist-rels+release-rels+recording-rels+recording-level-rels+work-rels+work-level-rels+label-rels+place-rels+url-rels+release-group-rels+release-group-level-rels&fmt=json`);
const lookupUrl = (entity: keyof typeof LOOKUP_INCLUDES, mbid: string) => `${WS}/${entity}/${mbid}?inc=${LOOKUP_INCLUDES[entity].join('%2B')}`;


describe.skipIf(skipWithoutRecordings('musicbrainz'))('MusicBrainz provider replaying recorded answers', () => {
  let harness: ReplayHarness;
  const ctx = () => callContext();

  // A fresh client (and so an empty cache) per test: request counts must not depend on test order.
  beforeEach(async () => {
    harness = await replayProvider(createMusicBrainzProvider, {
      sources: ['musicbrainz'],
      // Lookups ask for more includes than the recordings were made with; see ReplayOptions.
      includeSubsetParams: ['inc'],
      // The rate limit has its own test below; here it would only slow the suite down.
      env: { MUSICBRAINZ_RPS: '50' },
    });
  });
  afterEach(() => harness.close());

  const requests = () => harness.server.requests;
  const lastQuery = () => requests().at(-1)!.query;

  it('declares itself keyless and the id kinds it resolves', () => {
    const { provider } = harness;
    expect(provider.configured).toBe(true);
    expect(provider.credentials).toEqual([]);
    expect(provider.idKinds).toEqual({ track: ['recording'], album: ['release', 'release-group'], artist: ['artist'] });
  });

  it('searches releases with the user text as a literal query and pages by offset', async () => {
    const raw = mb('release?query=You+Want+It+Darker&fmt=json');
    const page = await harness.provider.searchAlbums!({ query: ' You Want It Darker ', limit: 25, cursor: null }, ctx());
    expect(requests()).toHaveLength(1);
    expect(lastQuery().get('query')).toBe('You Want It Darker');
    expect(lastQuery().get('fmt')).toBe('json');
    expect(lastQuery().has('limit')).toBe(false); // 25 is MusicBrainz's default
    expect(page.total).toBe(raw.count);
    expect(page.nextCursor).toBe('25');
    expect(page.items.map((album) => album.title)).toEqual(raw.releases.map((release: any) => release.title));
    expect(page.items.map((album) => album.id)).toEqual(raw.releases.map((release: any) => `musicbrainz:release:${release.id}`));
    expect(page.items[0]!.artists[0]).toEqual({ id: `musicbrainz:artist:${LEONARD_COHEN}`, name: 'Leonard Cohen' });
  });

  it('answers the same search from cache without asking upstream again', async () => {
    const input = { query: 'You Want It Darker', limit: 25, cursor: null };
    const first = await harness.provider.searchAlbums!(input, ctx());
    const before = requests().length;
    const second = await harness.provider.searchAlbums!(input, ctx());
    expect(requests().length).toBe(before);
    expect(second.items.map((album) => album.id)).toEqual(first.items.map((album) => album.id));
  });

  it('searches artists with a page size and reads genres from tags', async () => {
    const raw = mb('artist?limit=1&query=Leonard+Cohen&fmt=json');
    const page = await harness.provider.searchArtists!({ query: 'Leonard Cohen', limit: 1, cursor: null }, ctx());
    expect(lastQuery().get('limit')).toBe('1');
    expect(lastQuery().has('offset')).toBe(false);
    expect(page.total).toBe(raw.count);
    expect(page.nextCursor).toBe('1');
    expect(page.items).toHaveLength(1);
    expect(page.items[0]).toMatchObject({
      id: `musicbrainz:artist:${LEONARD_COHEN}`,
      name: 'Leonard Cohen',
      country: 'CA',
      type: 'Person',
      url: `https://musicbrainz.org/artist/${LEONARD_COHEN}`,
    });
    expect(page.items[0]!.genres[0]).toBe('folk');
  });

  it('escapes search operators and sends the cursor as offset', async () => {
    harness.server.intercept((request, response) => {
      response.writeHead(503, { 'content-type': 'text/plain' });
      response.end('busy');
      return request.path === '/ws/2/recording';
    });
    const error = await sourceError(
      harness.provider.searchTracks!({ query: 'AC/DC: "Back in Black" AND more', limit: 10, cursor: '20' }, ctx()),
    );
    expect(error.kind).toBe('UNAVAILABLE');
    expect(lastQuery().get('query')).toBe('AC\\/DC\\: \\"Back in Black\\" and more');
    expect(lastQuery().get('limit')).toBe('10');
    expect(lastQuery().get('offset')).toBe('20');
  });

  it('answers an empty search without a request', async () => {
    const page = await harness.provider.searchArtists!({ query: '   ', limit: 10, cursor: null }, ctx());
    expect(page).toEqual({ items: [], total: 0, nextCursor: null });
    expect(requests()).toHaveLength(0);
  });

  it('looks up a recording with its credits, ISRCs and releases in one request', async () => {
    const raw = mb('recording/b9ad642e-b012-41c7-b72a-42cf4911f9ff?inc=artist-credits+isrcs+releases&fmt=json');
    const track = await harness.provider.track!({ kind: 'recording', id: 'B9AD642E-B012-41C7-B72A-42CF4911F9FF' }, ctx());
    expect(requests()).toHaveLength(1);
    expect(requests()[0]!.path).toBe('/ws/2/recording/b9ad642e-b012-41c7-b72a-42cf4911f9ff');
    expect(lastQuery().get('inc')).toBe(LOOKUP_INCLUDES.recording.join('+'));
    expect(track).toMatchObject({
      id: `musicbrainz:recording:${raw.id}`,
      source: 'musicbrainz',
      title: 'LAST ANGEL',
      durationSec: 230,
      releaseDate: '2007-11-07',
      isrc: 'JPB600760301',
      isrcs: ['JPB600760301'],
      cover: null,
      download: { allowed: false, reason: 'NOT_LICENSED' },
    });
    expect(track.artists.map((artist) => artist.name)).toEqual(raw['artist-credit'].map((credit: any) => credit.name));
    // The album is one of the recording's 15 releases, with its cover reference.
    const releaseIds = raw.releases.map((release: any) => release.id);
    expect(releaseIds).toContain(track.refs?.musicbrainzReleaseId);
    expect(track.album?.id).toBe(`musicbrainz:release:${track.refs?.musicbrainzReleaseId}`);
  });

  it('reads every ISRC, the genres and the url relationships of a recording, as links by platform', async () => {
    // The recording exactly as MusicBrainz embeds it in a release lookup with recording-level
    // url relationships; a recording lookup with `inc=url-rels` answers the same object.
    const recording = meteora().media[0].tracks[6].recording;
    harness.server.route('GET', lookupUrl('recording', recording.id), { body: JSON.stringify(recording) });
    const track = await harness.provider.track!({ kind: 'recording', id: recording.id }, ctx());
    expect(track.title).toBe('Faint');
    expect(track.isrcs).toEqual(['USWB10300468', 'USWB11201129', 'USWB11201333']);
    expect(track.isrc).toBe('USWB10300468');
    expect(track.genres[0]).toBe('nu metal');
    expect(track.links).toEqual([
      { platform: 'spotify', url: 'https://open.spotify.com/track/4Yf5bqU3NK4kNOypcrLYwU' },
      { platform: 'deezer', url: 'https://www.deezer.com/track/14628999' },
      { platform: 'youtube', url: 'https://www.youtube.com/watch?v=LYU-8IFcDPw' },
      { platform: 'tidal', url: 'https://tidal.com/track/68638998' },
      { platform: 'musicbrainz', url: `https://musicbrainz.org/recording/${recording.id}` },
    ]);
    // "free streaming" comes before "streaming": Spotify is the first such page listed.
    expect(track.playbackUrl).toBe('https://open.spotify.com/track/4Yf5bqU3NK4kNOypcrLYwU');
  });

  it('finds the recordings of an ISRC, each carrying it', async () => {
    const raw = mb('isrc/USGF19942501?inc=artist-credits+tags&fmt=json');
    const tracks = await harness.provider.tracksByIsrc!('USGF19942501', ctx());
    expect(requests()).toHaveLength(1);
    expect(requests()[0]!.path).toBe('/ws/2/isrc/USGF19942501');
    expect(lastQuery().get('inc')).toBe(ISRC_INCLUDES.join('+'));
    expect(tracks.map((track) => [track.id, track.title, track.durationSec, track.releaseDate])).toEqual([
      ['musicbrainz:recording:5fb524f1-8cc8-4c04-a921-e34c0a911ea7', 'Smells Like Teen Spirit', 301, '1991-09-10'],
      ['musicbrainz:recording:780825bf-3a65-4fc9-8668-c712b6670ce6', 'Smells Like Teen Spirit (remastered 2021)', 301, '2021-11-10'],
    ]);
    expect(tracks.map((track) => track.id)).toEqual(raw.recordings.map((recording: any) => `musicbrainz:recording:${recording.id}`));
    for (const track of tracks) {
      expect(track.isrcs).toEqual(['USGF19942501']);
      expect(track.isrc).toBe('USGF19942501');
      expect(track.artists).toEqual([{ id: `musicbrainz:artist:${NIRVANA}`, name: 'Nirvana' }]);
    }
    expect(tracks[0]!.genres.slice(0, 2)).toEqual(['grunge', 'alternative rock']);
  });

  it('answers an ISRC MusicBrainz does not know (404) with no tracks', async () => {
    harness.server.route('GET', `${WS}/isrc/ES5022000001?inc=${ISRC_INCLUDES.join('%2B')}`, { status: 404, body: '{"error":"Not Found"}' });
    expect(await harness.provider.tracksByIsrc!('ES5022000001', ctx())).toEqual([]);
    expect(requests()).toHaveLength(1);
  });

  it('finds the releases printed with a barcode, asking for its UPC and EAN forms', async () => {
    // "You Want It Darker" on CD: the same barcode on the US and the European pressing.
    const search = mb('release?query=You+Want+It+Darker&fmt=json');
    const carrying = search.releases.filter((release: any) => release.barcode === '889853650729');
    expect(carrying).toHaveLength(2);
    const query = 'barcode:(889853650729 OR 0889853650729)';
    harness.server.route('GET', `${WS}/release?query=${encodeURIComponent(query)}&limit=100`, {
      body: JSON.stringify({ ...search, count: carrying.length, releases: carrying }),
    });
    const albums = await harness.provider.albumsByBarcode!('889853650729', ctx());
    expect(lastQuery().get('query')).toBe(query);
    expect(albums.map((album) => [album.id, album.barcode, album.country, album.formats])).toEqual([
      ['musicbrainz:release:d5cdb7fd-c7e9-460a-9549-8a369655cc52', '889853650729', 'US', ['CD']],
      // Released in "XE" (MusicBrainz's Europe), which is no ISO country.
      ['musicbrainz:release:dd15903e-0ee7-45ec-aba1-2fc7b3a44e19', '889853650729', null, ['CD']],
    ]);
    expect(albums.every((album) => album.title === 'You Want It Darker')).toBe(true);
  });

  it('keeps only the hits that carry the barcode asked, whatever else the search answers', async () => {
    const search = mb('release?query=You+Want+It+Darker&fmt=json');
    harness.server.route('GET', `${WS}/release?query=${encodeURIComponent('barcode:(0889853650729 OR 889853650729)')}&limit=100`, {
      body: JSON.stringify(search),
    });
    const albums = await harness.provider.albumsByBarcode!('0889853650729', ctx());
    expect(albums.map((album) => album.id.split(':').pop())).toEqual(['d5cdb7fd-c7e9-460a-9549-8a369655cc52', 'dd15903e-0ee7-45ec-aba1-2fc7b3a44e19']);
  });

  it('rejects malformed MBIDs and foreign id kinds without touching the network', async () => {
    for (const call of [
      harness.provider.track!({ kind: 'recording', id: 'xyz' }, ctx()),
      harness.provider.track!({ kind: 'recording', id: `${NIRVANA}/../x` }, ctx()),
      harness.provider.album!({ kind: 'release', id: '' }, ctx()),
      harness.provider.artist!({ kind: 'artist', id: 'Nirvana' }, ctx()),
      harness.provider.track!({ kind: 'release', id: NIRVANA }, ctx()),
      harness.provider.artistAlbums!({ kind: 'artist', id: '1' }, { limit: 5, cursor: null }, ctx()),
    ]) {
      expect((await sourceError(call)).kind).toBe('NOT_FOUND');
    }
    expect(requests()).toHaveLength(0);
  });

  it('looks up a release with its track list, ISRCs, streaming links, barcode and formats', async () => {
    const raw = meteora();
    harness.server.route('GET', lookupUrl('release', METEORA), { body: JSON.stringify(raw) });
    const album = await harness.provider.album!({ kind: 'release', id: METEORA }, ctx());
    expect(requests()).toHaveLength(1);
    // Recording-level url relationships need both includes.
    expect(lastQuery().get('inc')!.split('+')).toEqual(expect.arrayContaining(['url-rels', 'recording-level-rels', 'isrcs', 'recordings']));
    expect(album).toMatchObject({
      title: 'Meteora',
      label: 'Warner Bros. Records',
      barcode: '093624844426',
      country: null, // XE: Europe
      formats: ['Enhanced CD'],
      type: 'ALBUM',
      trackCount: 13,
      releaseDate: '2003-03-24',
    });
    const tracks = album.tracks!;
    const rawTracks = raw.media[0].tracks;
    expect(tracks.map((track) => track.title)).toEqual(rawTracks.map((track: any) => track.title));
    expect(tracks.map((track) => track.durationSec)).toEqual(rawTracks.map((track: any) => Math.round(track.length / 1000)));
    expect(tracks.map((track) => track.trackNumber)).toEqual(rawTracks.map((track: any) => track.position));
    expect(tracks.map((track) => track.isrcs)).toEqual(rawTracks.map((track: any) => track.recording.isrcs));
    expect(tracks[12]).toMatchObject({ title: 'Numb', isrc: 'USWB10300474', playbackUrl: 'https://open.spotify.com/track/2nLtzopw4rPReszdYBJU6h' });
    expect(tracks[12]!.links.map((link) => link.platform)).toEqual(['spotify', 'deezer', 'tidal', 'musicbrainz']);
    expect(tracks[12]!.links[1]).toEqual({ platform: 'deezer', url: 'https://www.deezer.com/track/14629005' });
  });

  it('looks up a release and keeps its Cover Art Archive reference', async () => {
    const raw = mb('release/b84ee12a-09ef-421b-82de-0441a926375b?fmt=json');
    const album = await harness.provider.album!({ kind: 'release', id: raw.id }, ctx());
    expect(lastQuery().get('inc')).toBe(LOOKUP_INCLUDES.release.join('+'));
    expect(album).toMatchObject({
      id: `musicbrainz:release:${raw.id}`,
      title: raw.title,
      releaseDate: raw.date,
      url: `https://musicbrainz.org/release/${raw.id}`,
    });
    expect(album.refs?.musicbrainzReleaseId).toBe(raw.id);
  });

  it('looks up an album by release group', async () => {
    const raw = mb('release-group/f5093c06-23e3-404f-aeaa-40f72885ee3a?fmt=json');
    const album = await harness.provider.album!({ kind: 'release-group', id: raw.id }, ctx());
    // The recorded group lists no releases, so there is no edition to take a track list from.
    expect(requests()).toHaveLength(1);
    expect(lastQuery().get('inc')).toBe(LOOKUP_INCLUDES['release-group'].join('+'));
    expect(album).toMatchObject({
      id: `musicbrainz:release-group:${raw.id}`,
      title: raw.title,
      type: 'ALBUM',
      releaseDate: raw['first-release-date'],
      tracks: null,
      refs: { musicbrainzReleaseId: null, musicbrainzReleaseGroupId: raw.id },
    });
  });

  it('takes the track list of a release group from its most representative edition', async () => {
    // The group as a recorded release-group search describes it, releases included.
    const search = mb('release-group?inc=ratings&query=arid%3Ac8da2e40-bd28-4d4e-813a-bd2f51958ba8&fmt=json');
    const group = search['release-groups'].find((candidate: any) => candidate.releases?.length > 0);
    const edition = group.releases[0].id;
    harness.server.route('GET', `${WS}/release-group/${group.id}?inc=${LOOKUP_INCLUDES['release-group'].join('%2B')}`, {
      body: JSON.stringify(group),
    });
    harness.server.route('GET', `${WS}/release/${edition}?inc=${LOOKUP_INCLUDES.release.join('%2B')}`, {
      status: 404,
      body: '{"error":"Not Found"}',
    });
    const album = await harness.provider.album!({ kind: 'release-group', id: group.id }, ctx());
    expect(requests().map((request) => request.path)).toEqual([`/ws/2/release-group/${group.id}`, `/ws/2/release/${edition}`]);
    // The edition vanished (404): the album still answers from the group, without tracks.
    expect(album).toMatchObject({ title: group.title, tracks: null, type: 'ALBUM' });
    expect(album.artists.map((artist) => artist.name)).toEqual(group['artist-credit'].map((credit: any) => credit.name));
  });

  it('looks up an artist with social links by platform', async () => {
    const raw = mb(`artist/${NIRVANA}?inc=url-rels&fmt=json`);
    const artist = await harness.provider.artist!({ kind: 'artist', id: NIRVANA }, ctx());
    expect(lastQuery().get('inc')).toBe(LOOKUP_INCLUDES.artist.join('+'));
    expect(artist.name).toBe(raw.name);
    expect(artist.country).toBe(raw.country);
    const platforms = new Set(artist.links.map((link) => link.platform));
    for (const platform of ['spotify', 'youtube', 'soundcloud', 'wikidata', 'discogs', 'instagram', 'twitter', 'facebook', 'official']) {
      expect(platforms).toContain(platform);
    }
    expect(artist.refs?.musicbrainzArtistId).toBe(NIRVANA);
  });

  it('browses the discography as release groups with paging', async () => {
    const recordedUrl = `${WS}/release-group?artist=${NIRVANA}&type=ep&fmt=json`;
    const raw = mb(`release-group?artist=${NIRVANA}&type=ep&fmt=json`);
    // The only recorded browse filters on EPs; it stands in for the albums+singles+EPs browse.
    const entry = loadIndex('musicbrainz').find((candidate) => candidate.request.url === recordedUrl)!;
    harness.server.route('GET', `${WS}/release-group?artist=${NIRVANA}&type=album%7Csingle%7Cep&inc=artist-credits`, {
      body: readRecording('musicbrainz', entry.file),
    });
    const page = await harness.provider.artistAlbums!({ kind: 'artist', id: NIRVANA }, { limit: 25, cursor: null }, ctx());
    expect(lastQuery().get('type')).toBe('album|single|ep');
    expect(page.total).toBe(raw['release-group-count']);
    expect(page.nextCursor).toBeNull();
    expect(page.items.map((album) => album.title)).toEqual(raw['release-groups'].map((group: any) => group.title));
    expect(page.items.map((album) => album.id)).toEqual(
      raw['release-groups'].map((group: any) => `musicbrainz:release-group:${group.id}`),
    );
  });

  it('fetches several artists in one search by MBID, in order, with null for unknown ones', async () => {
    const unknown = 'c8da2e40-bd28-4d4e-813a-bd2f51958ba8';
    // A recorded artist search page holding Leonard Cohen answers the id search (ids go sorted).
    const query = `arid:(${LEONARD_COHEN} OR ${unknown})`;
    harness.server.route('GET', `${WS}/artist?query=${encodeURIComponent(query)}&limit=100`, {
      body: JSON.stringify(mb('artist?limit=1&query=Leonard+Cohen&fmt=json')),
    });
    const artists = await harness.provider.artistsByIds!(
      [
        { kind: 'artist', id: unknown },
        { kind: 'artist', id: LEONARD_COHEN.toUpperCase() },
        { kind: 'artist', id: 'not-an-mbid' },
        { kind: 'artist', id: LEONARD_COHEN },
      ],
      ctx(),
    );
    expect(requests()).toHaveLength(1);
    expect(artists.map((artist) => artist?.name ?? null)).toEqual([null, 'Leonard Cohen', null, 'Leonard Cohen']);
  });

  it('reports a 400 error body as a bad response', async () => {
    const recorded = loadIndex('musicbrainz').find((entry) => entry.response.status === 400)!;
    harness.server.intercept((request, response) => {
      if (request.path !== `/ws/2/artist/${LEONARD_COHEN}`) return false;
      response.writeHead(400, { 'content-type': 'application/json' });
      response.end(readRecording('musicbrainz', recorded.file));
      return true;
    });
    const error = await sourceError(harness.provider.artist!({ kind: 'artist', id: LEONARD_COHEN }, ctx()));
    expect(error.kind).toBe('BAD_RESPONSE');
    expect(error.details.status).toBe(400);
  });

  it('maps 404 to NOT_FOUND and remembers it briefly', async () => {
    const missing = '00000000-0000-4000-8000-000000000000';
    harness.server.route('GET', `${WS}/recording/${missing}?inc=${LOOKUP_INCLUDES.recording.join('%2B')}`, {
      status: 404,
      body: '{"error":"Not Found"}',
    });
    expect((await sourceError(harness.provider.track!({ kind: 'recording', id: missing }, ctx()))).kind).toBe('NOT_FOUND');
    expect((await sourceError(harness.provider.track!({ kind: 'recording', id: missing }, ctx()))).kind).toBe('NOT_FOUND');
    expect(requests()).toHaveLength(1);
  });

  it('rejects a 200 answer that is not a MusicBrainz entity, and does not cache it', async () => {
    const odd = '11111111-1111-4111-8111-111111111111';
    harness.server.route('GET', `${WS}/artist/${odd}?inc=${LOOKUP_INCLUDES.artist.join('%2B')}`, { body: '{"unexpected":true}' });
    expect((await sourceError(harness.provider.artist!({ kind: 'artist', id: odd }, ctx()))).kind).toBe('BAD_RESPONSE');
    expect((await sourceError(harness.provider.artist!({ kind: 'artist', id: odd }, ctx()))).kind).toBe('BAD_RESPONSE');
    expect(requests()).toHaveLength(2);
  });

  it('rejects an HTML page sent instead of JSON', async () => {
    harness.server.intercept((request, response) => {
      response.writeHead(200, { 'content-type': 'text/html' });
      response.end('<html><body>Maintenance</body></html>');
      return request.path === '/ws/2/release';
    });
    const error = await sourceError(harness.provider.searchAlbums!({ query: 'maintenance page', limit: 5, cursor: null }, ctx()));
    expect(error.kind).toBe('BAD_RESPONSE');
  });

  it('rejects cursors it did not hand out as bad input, without asking', async () => {
    for (const cursor of ['page-2', '-25', '1e3', '99999999']) {
      const error = await sourceError(harness.provider.searchAlbums!({ query: 'x', limit: 5, cursor }, ctx()));
      expect(error.kind).toBe('BAD_INPUT');
      expect(error.message).toMatch(/cursor/);
    }
    const browse = await sourceError(harness.provider.artistAlbums!({ kind: 'artist', id: NIRVANA }, { limit: 5, cursor: 'next' }, ctx()));
    expect(browse.kind).toBe('BAD_INPUT');
    expect(requests()).toHaveLength(0);
  });

  it('names the entity of its own pages, without a request', () => {
    const parse = harness.provider.parseUrl!;
    expect(parse(new URL('https://musicbrainz.org/recording/B9AD642E-B012-41C7-B72A-42CF4911F9FF'))).toEqual({
      entity: 'track',
      ref: { kind: 'recording', id: 'b9ad642e-b012-41c7-b72a-42cf4911f9ff' },
    });
    expect(parse(new URL(`https://musicbrainz.org/release/${METEORA}`))).toEqual({ entity: 'album', ref: { kind: 'release', id: METEORA } });
    expect(parse(new URL('https://beta.musicbrainz.org/release-group/f5093c06-23e3-404f-aeaa-40f72885ee3a'))).toEqual({
      entity: 'album',
      ref: { kind: 'release-group', id: 'f5093c06-23e3-404f-aeaa-40f72885ee3a' },
    });
    expect(parse(new URL(`https://musicbrainz.org/artist/${NIRVANA}/releases?page=2`))).toEqual({ entity: 'artist', ref: { kind: 'artist', id: NIRVANA } });
    for (const other of [
      `https://musicbrainz.org/work/${NIRVANA}`,
      'https://musicbrainz.org/artist/nirvana',
      'https://musicbrainz.org/search?query=nirvana',
      `https://musicbrainz.example.org/artist/${NIRVANA}`,
      `https://listenbrainz.org/artist/${NIRVANA}`,
    ]) {
      expect(parse(new URL(other)), other).toBeNull();
    }
    expect(requests()).toHaveLength(0);
  });
});

describe.skipIf(skipWithoutRecordings('musicbrainz'))('MusicBrainz provider rate limit', () => {
  it('spaces its requests by the configured rate (1 per second by default) once its burst is spent', async () => {
    // Without a burst, two calls show the pace itself; bursts are proven in test/http/rateLimiter.test.ts.
    const harness = await replayProvider(createMusicBrainzProvider, { sources: ['musicbrainz'], includeSubsetParams: ['inc'], env: { MUSICBRAINZ_BURST: '1' } });
    try {
      await Promise.all([
        harness.provider.track!({ kind: 'recording', id: '1109d8da-ce4a-4739-9414-242dc3e9b81c' }, callContext()),
        harness.provider.track!({ kind: 'recording', id: '9f9cf187-d6f9-437f-9d98-d59cdbd52757' }, callContext()),
      ]);
      const [first, second] = harness.server.requests;
      expect(second!.at - first!.at).toBeGreaterThanOrEqual(900);
    } finally {
      await harness.close();
    }
  });
});
