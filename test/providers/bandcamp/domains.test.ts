import { afterEach, describe, expect, it } from 'vitest';
import { createBandcampProvider } from '../../../src/providers/bandcamp/index.js';
import type { NativeRef, Provider } from '../../../src/providers/types.js';
import { replayProvider, sourceErrorOf, type ReplayHarness } from '../../support/providerHarness.js';
import { readRecording, readRecordingJson, skipWithoutRecordings } from '../../support/recordings.js';

/**
 * Issue 9: a Bandcamp id may name an artist's own domain, and anyone can type one. A custom
 * domain is fetched only after a Bandcamp answer named it.
 *
 * The recordings show Bandcamp naming custom domains (the mobile feed's `band_url`
 * `https://lorangeproductions.com` for band 4276412044; Bandcamp Weekly's `url_hints` with
 * subdomain `pregnant` and custom domain `www.danielispregnant.com`), but none of the answers
 * this provider reads holds one. So the answers below are recorded ones (a `tralbum_details`, a
 * `band_details`, an autocomplete answer) with those recorded facts put in, and the custom
 * domains' pages, never recorded, are stood in for by recorded Bandcamp pages.
 */

const BC = 'bandcamp';
type Raw = Record<string, any>;

/** L'Orange's "Old Soul" as the recorded featured feed states it. */
function lorangeStory(): Raw {
  const feed = readRecordingJson<Raw>(BC, 'mobile-feed-older-logged-out-featured-1779494400.json');
  return feed.stories.featured.find((story: Raw) => story.band_url === 'https://lorangeproductions.com');
}

/** A `tralbum_details` answer for that album: a recorded answer's shape, the feed's facts. */
function lorangeAlbumDetails(): Raw {
  const story = lorangeStory();
  const template = readRecordingJson<Raw>(BC, 'mobile-tralbum-details-wintergatan-track-1672155926.json');
  return {
    ...template,
    id: story.tralbum_id,
    type: story.tralbum_type,
    title: story.title,
    bandcamp_url: story.item_url,
    art_id: story.art_id,
    band: { ...template.band, band_id: story.band_id, name: story.band_name },
    tralbum_artist: story.artist,
    album_id: null,
    album_title: null,
    label: story.label,
    tracks: [
      {
        ...template.tracks[0],
        track_id: story.featured_track,
        title: story.featured_track_title,
        track_num: story.featured_track_number,
        duration: story.featured_track_duration,
        band_id: story.band_id,
        band_name: story.band_name,
      },
    ],
  };
}

const page = (file: string) => ({ body: readRecording(BC, file), contentType: 'text/html; charset=UTF-8' });

describe.skipIf(skipWithoutRecordings(BC))('Bandcamp custom domains', () => {
  let h: ReplayHarness<Provider>;
  afterEach(() => h?.close());

  const start = async () => {
    h = await replayProvider(createBandcampProvider, { sources: [BC], extraHosts: ['lorangeproductions.com', 'www.danielispregnant.com', 'evil.example.org'] });
    return h;
  };
  const requestsTo = (host: string) => h.server.requests.filter((request) => request.host === host).length;

  const typed: [string, (provider: Provider) => Promise<unknown>][] = [
    ['artist', (provider) => provider.artist!({ kind: 'artist', id: 'lorangeproductions.com' }, h.ctx)],
    ['artistAlbums', (provider) => provider.artistAlbums!({ kind: 'artist', id: 'lorangeproductions.com' }, { limit: 10, cursor: null }, h.ctx)],
    ['album', (provider) => provider.album!({ kind: 'album', id: 'lorangeproductions.com/album/old-soul' }, h.ctx)],
    ['track', (provider) => provider.track!({ kind: 'track', id: 'lorangeproductions.com/track/cafe-lover-feat-blu' }, h.ctx)],
    ['a metadata host', (provider) => provider.artist!({ kind: 'artist', id: 'metadata.google.internal' }, h.ctx)],
  ];

  it('a custom domain only a caller has named is NOT_FOUND, and no request is sent', async () => {
    const { provider, server } = await start();
    for (const [what, call] of typed) expect((await sourceErrorOf(call(provider))).kind, what).toBe('NOT_FOUND');
    expect(server.requests).toHaveLength(0);
  });

  it("is fetched once the mobile API's answer names it, by this instance and by others sharing the cache", async () => {
    const { provider, server, ctx, deps } = await start();
    const story = lorangeStory();
    server.route('GET', `https://bandcamp.com/api/mobile/22/tralbum_details?band_id=${story.band_id}&tralbum_id=${story.tralbum_id}&tralbum_type=a`, {
      body: JSON.stringify(lorangeAlbumDetails()),
    });
    server.route('GET', 'https://lorangeproductions.com/album/old-soul', page('album-macbenson-coming-of-age.html'));

    const album = await provider.album!({ kind: 'album', id: `${story.band_id}:a${story.tralbum_id}` }, ctx);
    expect(album.id).toBe('bandcamp:album:lorangeproductions.com/album/old-soul');
    expect(album.artists).toEqual([{ id: 'bandcamp:artist:lorangeproductions.com', name: story.artist }]);
    expect(album.tracks?.map((track) => track.title)).toEqual([story.featured_track_title]);

    // The id handed out resolves: its page is asked (a recorded page stands in for it).
    await provider.album!({ kind: 'album', id: album.id.replace(/^bandcamp:album:/, '') }, ctx);
    expect(requestsTo('lorangeproductions.com')).toBe(1);

    // Another instance on the same shared cache has learnt it too.
    const other = createBandcampProvider(deps);
    server.route('GET', 'https://lorangeproductions.com/', page('artist-infiniteammo-home.html'));
    await other.artistAlbums!({ kind: 'artist', id: 'lorangeproductions.com' }, { limit: 5, cursor: null }, ctx);
    expect(requestsTo('lorangeproductions.com')).toBe(2);
  });

  it("is learnt from the band's own band_details, and the artist id it gives resolves", async () => {
    const { provider, server, ctx } = await start();
    // toupie's page has no profile, so its band_details is asked; here it names a custom domain.
    const details = { ...readRecordingJson<Raw>(BC, 'mobile-band-details-toupie.json'), bandcamp_url: 'https://www.danielispregnant.com' };
    server.intercept((request, response) => {
      if (request.path !== '/api/mobile/22/band_details') return false;
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify(details));
      return true;
    });
    server.route('GET', 'https://www.danielispregnant.com/', page('artist-toupie-home.html'));
    const artist = await provider.artist!({ kind: 'artist', id: 'toupie' }, ctx);
    expect(artist.id).toBe('bandcamp:artist:www.danielispregnant.com');
    expect(requestsTo('www.danielispregnant.com')).toBe(0);
    await provider.artist!({ kind: 'artist', id: 'www.danielispregnant.com' }, ctx);
    expect(requestsTo('www.danielispregnant.com')).toBe(1);
  });

  it("follows a subdomain's redirect to the artist's domain, which is then learnt", async () => {
    const { provider, server, ctx } = await start();
    // Bandcamp Weekly (recorded) says subdomain `pregnant` is served at www.danielispregnant.com.
    const show = readRecordingJson<Raw>(BC, 'bcweekly-get-230.json');
    const hints = show.tracks.map((track: Raw) => track.url_hints).find((hint: Raw) => hint.custom_domain);
    expect(hints).toMatchObject({ subdomain: 'pregnant', custom_domain: 'www.danielispregnant.com' });

    const album: NativeRef = { kind: 'album', id: `${hints.custom_domain}/album/${hints.slug}` };
    expect((await sourceErrorOf(provider.album!(album, ctx))).kind).toBe('NOT_FOUND');
    expect(server.requests).toHaveLength(0);

    server.route('GET', `https://${hints.subdomain}.bandcamp.com/`, { status: 301, body: '', headers: { location: `http://${hints.custom_domain}/` } });
    server.route('GET', `https://${hints.custom_domain}/`, page('artist-infiniteammo-home.html'));
    server.route('GET', `https://${hints.custom_domain}/album/${hints.slug}`, page('album-macbenson-coming-of-age.html'));
    const artist = await provider.artist!({ kind: 'artist', id: hints.subdomain }, ctx);
    expect(artist.name).toBeTruthy();
    // The plain-http Location was asked over https.
    expect(h.server.requests.map((request) => request.url)).toEqual([`https://${hints.subdomain}.bandcamp.com/`, `https://${hints.custom_domain}/`]);

    await provider.album!(album, ctx);
    expect(requestsTo(hints.custom_domain)).toBe(2);
  });

  it('is learnt from a search answer whose item lives on the custom domain', async () => {
    const { provider, server, ctx } = await start();
    // The recorded autocomplete answer, its first track moved to L'Orange's domain (fixture).
    const story = lorangeStory();
    const answer = readRecordingJson<Raw>(BC, 'autocomplete-elastic-c418.json');
    const moved = answer.auto.results.find((result: Raw) => result.type === 't');
    const path = new URL(moved.item_url_path).pathname;
    Object.assign(moved, { item_url_root: story.band_url, item_url_path: `${story.band_url}${path}` });
    server.intercept((request, response) => {
      if (!request.path.endsWith('/autocomplete_elastic')) return false;
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify(answer));
      return true;
    });
    const page1 = await provider.searchTracks!({ query: 'c418', limit: 50, cursor: null }, ctx);
    const track = page1.items.find((item) => item.id === `bandcamp:track:lorangeproductions.com${path}`)!;
    expect(track.artists[0]?.id).toBe('bandcamp:artist:lorangeproductions.com');
    server.route('GET', `${story.band_url}${path}`, page('track-macbenson-divine-2.html'));
    await provider.track!({ kind: 'track', id: `lorangeproductions.com${path}` }, ctx);
    expect(requestsTo('lorangeproductions.com')).toBe(1);
  });

  it('a learnt domain that redirects to another one does not teach it', async () => {
    const { provider, server, ctx } = await start();
    const story = lorangeStory();
    server.route('GET', `https://bandcamp.com/api/mobile/22/tralbum_details?band_id=${story.band_id}&tralbum_id=${story.tralbum_id}&tralbum_type=a`, {
      body: JSON.stringify(lorangeAlbumDetails()),
    });
    await provider.album!({ kind: 'album', id: `${story.band_id}:a${story.tralbum_id}` }, ctx);
    server.route('GET', 'https://lorangeproductions.com/', { status: 302, body: '', headers: { location: 'https://evil.example.org/' } });
    expect((await sourceErrorOf(provider.artist!({ kind: 'artist', id: 'lorangeproductions.com' }, ctx))).kind).toBe('NOT_FOUND');
    expect(requestsTo('lorangeproductions.com')).toBe(1);
    expect(requestsTo('evil.example.org')).toBe(0);
  });
});

describe.skipIf(skipWithoutRecordings(BC))('Bandcamp mobile API: the album of a track asked on its own', () => {
  let h: ReplayHarness<Provider>;
  afterEach(() => h?.close());

  it('is read from the top level of the answer when the track entry does not carry it', async () => {
    h = await replayProvider(createBandcampProvider, { sources: [BC] });
    const file = 'mobile-tralbum-details-wintergatan-track-4213289789.json';
    const recorded = readRecordingJson<Raw>(BC, file);
    // Recorded: a single, so both places are null and the track has no album.
    expect([recorded.album_title, recorded.tracks[0].album_title]).toEqual([null, null]);
    const ref: NativeRef = { kind: 'track', id: `${recorded.band.band_id}:t${recorded.id}` };
    expect((await h.provider.track!(ref, h.ctx)).album).toBeNull();

    // The same answer for a track of an album states the album once, at the top level. The album
    // is one of the band's own (recorded discography).
    const discography = readRecordingJson<Raw>(BC, 'mobile-band-details-wintergatan.json').discography;
    const fullAlbum = discography.find((item: Raw) => item.item_type === 'album');
    const fresh = await replayProvider(createBandcampProvider, { sources: [BC] });
    try {
      fresh.server.route('GET', `https://bandcamp.com/api/mobile/22/tralbum_details?band_id=${recorded.band.band_id}&tralbum_id=${recorded.id}&tralbum_type=t`, {
        body: JSON.stringify({ ...recorded, album_id: fullAlbum.item_id, album_title: fullAlbum.title }),
      });
      const track = await fresh.provider.track!(ref, fresh.ctx);
      expect(track.album).toEqual({ id: `bandcamp:album:${recorded.band.band_id}:a${fullAlbum.item_id}`, title: fullAlbum.title });
    } finally {
      await fresh.close();
    }
  });
});
