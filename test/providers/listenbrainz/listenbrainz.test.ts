import { afterEach, describe, expect, it } from 'vitest';
import { createListenBrainzProvider } from '../../../src/providers/listenbrainz/index.js';
import type { Provider } from '../../../src/providers/types.js';
import { SourceError } from '../../../src/errors/source.js';
import { callContext, replayProvider, type ReplayHarness } from '../../support/providerHarness.js';
import { readRecording, readRecordingJson, skipWithoutRecordings } from '../../support/recordings.js';

/**
 * ListenBrainz artist metadata through the real upstream client, replaying the shared recording
 * (from Navidrome). Its URL was recorded as `artist_mbids=<mbid>`, so the exact request is routed
 * to the recorded body.
 */
const MILI = 'd2a92ee2-27ce-4e71-bfc5-12e34fe8ef56';
const OTHER = '0383dadf-2a4e-4d10-a46a-e9e041da8eb3';

function metadataUrl(mbids: string[]): string {
  const url = new URL('https://api.listenbrainz.org/1/metadata/artist/');
  url.searchParams.set('artist_mbids', mbids.join(','));
  return url.toString();
}

let harness: ReplayHarness<Provider> | null = null;
afterEach(async () => {
  await harness?.close();
  harness = null;
});

async function start(): Promise<ReplayHarness<Provider>> {
  harness = await replayProvider(createListenBrainzProvider, { sources: ['listenbrainz'] });
  return harness;
}

describe.skipIf(skipWithoutRecordings('listenbrainz'))('ListenBrainz provider', () => {
  it('reads the recorded artist metadata: type, country from the area, links by platform', async () => {
    const { provider, server } = await start();
    server.route('GET', metadataUrl([MILI]), { body: readRecording('listenbrainz', 'listenbrainz.artist.metadata.homepage.json') });
    const [recorded] = readRecordingJson('listenbrainz', 'listenbrainz.artist.metadata.homepage.json');

    const artist = await provider.artist!({ kind: 'artist', id: MILI }, callContext());

    expect(artist).toMatchObject({ id: `listenbrainz:artist:${MILI}`, name: recorded.name, type: 'Group', country: 'JP' });
    expect(artist.refs?.musicbrainzArtistId).toBe(MILI);
    const byPlatform = Object.fromEntries(artist.links.map((link) => [link.platform, link.url]));
    expect(byPlatform).toEqual({
      deezer: recorded.rels['free streaming'],
      official: recorded.rels['official homepage'],
      'recochoku.jp': recorded.rels['purchase for download'],
      instagram: recorded.rels['social network'],
      tidal: recorded.rels.streaming,
      wikidata: recorded.rels.wikidata,
      youtube: recorded.rels.youtube,
    });
  });

  it('batches many MBIDs into one request and answers null for the unknown ones', async () => {
    const { provider, server } = await start();
    server.route('GET', metadataUrl([MILI, OTHER]), { body: readRecording('listenbrainz', 'listenbrainz.artist.metadata.homepage.json') });
    const artists = await provider.artistsByIds!(
      [
        { kind: 'artist', id: MILI },
        { kind: 'artist', id: OTHER },
        { kind: 'artist', id: 'not-an-mbid' },
      ],
      callContext(),
    );
    expect(artists.map((a) => a?.name ?? null)).toEqual(['Mili', null, null]);
    expect(server.requests).toHaveLength(1);
  });

  it('an MBID ListenBrainz does not know is NOT_FOUND; a malformed id costs no request', async () => {
    const { provider, server } = await start();
    server.route('GET', metadataUrl([OTHER]), { body: '[]' });
    await expect(provider.artist!({ kind: 'artist', id: OTHER }, callContext())).rejects.toSatisfy(
      (error: unknown) => error instanceof SourceError && error.kind === 'NOT_FOUND',
    );
    await expect(provider.artist!({ kind: 'artist', id: 'Mili' }, callContext())).rejects.toSatisfy(
      (error: unknown) => error instanceof SourceError && error.kind === 'NOT_FOUND',
    );
    expect(server.requests).toHaveLength(1);
  });

  it('an error object instead of a list is BAD_RESPONSE', async () => {
    const { provider, server } = await start();
    server.route('GET', metadataUrl([OTHER]), { body: '{"code":400,"error":"artist_mbids is invalid"}' });
    await expect(provider.artist!({ kind: 'artist', id: OTHER }, callContext())).rejects.toSatisfy(
      (error: unknown) => error instanceof SourceError && error.kind === 'BAD_RESPONSE' && error.message.includes('artist_mbids is invalid'),
    );
  });
});
