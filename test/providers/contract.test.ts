import { describe, expect, it } from 'vitest';
import { PROVIDER_FACTORIES } from '../../src/providers/registry.js';
import { loadConfig } from '../../src/config.js';
import { silentLogger } from '../../src/logger.js';
import type { ProviderFactory } from '../../src/providers/types.js';
import { providerContract, type ContractSubject } from '../support/providerContract.js';
import { KNOWN_FAILURES } from './contract.knownFailures.js';

/**
 * The shared provider contract (test/support/providerContract.ts) for every source in the
 * registry. Each subject gives well-formed ids (so calls reach the replayed upstream), ids the
 * source can tell are not its own, and links to its own pages.
 */
const NIRVANA = '5b11f4ce-a62d-471e-81fc-a69a8278c7da';

const SUBJECTS: Record<string, Omit<ContractSubject, 'factory'>> = {
  musicbrainz: {
    refs: {
      track: { kind: 'recording', id: 'b9ad642e-b012-41c7-b72a-42cf4911f9ff' },
      album: { kind: 'release', id: 'b84ee12a-09ef-421b-82de-0441a926375b' },
      artist: { kind: 'artist', id: NIRVANA },
    },
    malformedIds: {
      track: ['xyz', `${NIRVANA}/../x`, `${NIRVANA}0`],
      album: ['Nevermind', `../${NIRVANA}`],
      artist: ['Nirvana', '1'],
    },
    ownUrls: [
      { url: 'https://musicbrainz.org/recording/b9ad642e-b012-41c7-b72a-42cf4911f9ff', entity: 'track' },
      { url: 'https://musicbrainz.org/release/b84ee12a-09ef-421b-82de-0441a926375b', entity: 'album' },
      { url: 'https://musicbrainz.org/release-group/f5093c06-23e3-404f-aeaa-40f72885ee3a', entity: 'album' },
      { url: `https://musicbrainz.org/artist/${NIRVANA}`, entity: 'artist' },
    ],
  },
  coverartarchive: {},
  lastfm: {
    refs: {
      track: { kind: 'track', id: 'Nirvana/Smells%20Like%20Teen%20Spirit' },
      album: { kind: 'album', id: 'Nirvana/Nevermind' },
      artist: { kind: 'artist', id: 'Nirvana' },
    },
    malformedIds: { track: ['Nirvana', 'a/b/c', 'Nirvana/%E0%A4%A'], album: ['Nevermind', '/Nevermind'], artist: ['%E0%A4%A'] },
    ownUrls: [
      { url: 'https://www.last.fm/music/Nirvana', entity: 'artist' },
      { url: 'https://www.last.fm/music/Nirvana/_/Smells+Like+Teen+Spirit', entity: 'track' },
      { url: 'https://www.last.fm/music/Nirvana/Nevermind', entity: 'album' },
    ],
  },
  jamendo: {
    refs: { track: { kind: 'track', id: '1204669' }, album: { kind: 'album', id: '24' }, artist: { kind: 'artist', id: '5' } },
    malformedIds: { track: ['abc'], album: ['abc'], artist: ['abc'] },
  },
  musixmatch: {
    refs: { track: { kind: 'track', id: '84910799' } },
    malformedIds: { track: ['abc', '1/2'] },
  },
  lrclib: {},
  vagalume: {},
  lyricscom: {},
  deezer: {
    refs: { track: { kind: 'track', id: '3135556' }, album: { kind: 'album', id: '302127' }, artist: { kind: 'artist', id: '27' } },
    malformedIds: { track: ['abc'], album: ['abc'], artist: ['abc'] },
  },
  apple: {},
  wikipedia: {},
  listenbrainz: {
    refs: { artist: { kind: 'artist', id: NIRVANA } },
    malformedIds: { artist: ['Nirvana'] },
  },
  youtubemusic: {
    refs: {
      track: { kind: 'song', id: 'lYBUbBu4W08' },
      album: { kind: 'album', id: 'MPREb_kwX0dL5xrSA' },
      artist: { kind: 'artist', id: 'UCkX5rF-Qyq-UIjhaOxUWUlw' },
    },
    malformedIds: { track: ['Nevermind', 'lYBUbBu4W0', 'lYBUbBu4W08/x'], album: ['Nevermind'], artist: ['Nirvana'] },
    ownUrls: [
      { url: 'https://music.youtube.com/watch?v=lYBUbBu4W08', entity: 'track' },
      { url: 'https://www.youtube.com/watch?v=dQw4w9WgXcQ&list=RDdQw4w9WgXcQ', entity: 'track' },
      { url: 'https://youtu.be/dQw4w9WgXcQ', entity: 'track' },
      { url: 'https://music.youtube.com/browse/MPREb_dcYZhAh5urI', entity: 'album' },
      { url: 'https://music.youtube.com/channel/UCwZEU0wAwIyZb4x5G_KJp2w', entity: 'artist' },
    ],
  },
  soundcloud: {
    refs: { track: { kind: 'track', id: '173623087' }, album: { kind: 'playlist', id: '136000376' }, artist: { kind: 'user', id: '3207' } },
    malformedIds: { track: ['martinsolveig/places/x/y', '../x'], album: ['liluzivert', 'a/b'], artist: ['a/b', 'discover'] },
    ownUrls: [
      { url: 'https://soundcloud.com/liluzivert', entity: 'artist' },
      { url: 'https://soundcloud.com/martinsolveig/places', entity: 'track' },
      { url: 'https://soundcloud.com/micky96/sets/house', entity: 'album' },
      { url: 'https://api.soundcloud.com/tracks/173623087', entity: 'track' },
    ],
  },
  bandcamp: {
    refs: {
      track: { kind: 'track', id: 'macbenson/track/divine-2' },
      album: { kind: 'album', id: 'macbenson/album/coming-of-age' },
      artist: { kind: 'artist', id: 'macbenson' },
    },
    // Custom domains no Bandcamp answer named are refused before any request (issue 9).
    malformedIds: {
      track: ['../etc', 'metadata.google.internal/track/x', 'macbenson/album/coming-of-age'],
      album: ['../etc', 'metadata.google.internal/album/x', '169.254.169.254/album/x'],
      artist: ['a b', 'metadata.google.internal', 'macbenson.bandcamp.com', '127.0.0.1'],
    },
    ownUrls: [
      { url: 'https://macbenson.bandcamp.com/', entity: 'artist' },
      { url: 'https://macbenson.bandcamp.com/music', entity: 'artist' },
      { url: 'https://macbenson.bandcamp.com/album/coming-of-age', entity: 'album' },
      { url: 'https://macbenson.bandcamp.com/track/divine-2?from=search', entity: 'track' },
    ],
  },
  audiomack: {
    refs: { track: { kind: 'song', id: '123456' }, album: { kind: 'album', id: '654321' }, artist: { kind: 'artist', id: 'nirvana' } },
    malformedIds: { track: ['abc'], album: ['abc'], artist: ['a b'] },
  },
  internetarchive: {
    refs: { track: { kind: 'track', id: 'gd70-10-23.sbd.miller.87938.sbeok.flac16/gd70-10-23d1t01.mp3' }, album: { kind: 'item', id: 'gd70-10-23.sbd.miller.87938.sbeok.flac16' } },
    malformedIds: { track: ['/x', 'no-file'], album: ['../x'] },
  },
};

/** The id of each registered factory, read from a provider built with an empty environment. */
function idOf(factory: ProviderFactory): string {
  return factory({ config: loadConfig({}), env: {}, logger: silentLogger, createClient: () => ({}) as never }).id;
}

const registered = PROVIDER_FACTORIES.map((factory) => ({ factory, id: idOf(factory) }));

describe('provider contract subjects', () => {
  it('cover every registered provider, and nothing else', () => {
    expect(Object.keys(SUBJECTS).sort()).toEqual(registered.map((entry) => entry.id).sort());
    expect(Object.keys(KNOWN_FAILURES).filter((id) => !(id in SUBJECTS))).toEqual([]);
  });
});

for (const { factory, id } of registered) {
  providerContract({ factory, ...SUBJECTS[id], knownFailures: KNOWN_FAILURES[id] });
}
