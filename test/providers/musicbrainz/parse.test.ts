import { describe, expect, it } from 'vitest';
import {
  albumFromRelease,
  albumFromReleaseGroup,
  albumType,
  artistFromMb,
  barcodeOf,
  countryOf,
  formatsOf,
  genresOf,
  isrcsOf,
  parseIsrcLookup,
  parseArtistSearch,
  parseRecordingSearch,
  parseReleaseGroupBrowse,
  parseReleaseSearch,
  representativeRelease,
  trackFromRecording,
} from '../../../src/providers/musicbrainz/parse.js';
import { linksFromRelations, listeningUrl, platformOf } from '../../../src/providers/musicbrainz/links.js';
import { escapeLucene, nextCursor, offsetFromCursor, pagingParams } from '../../../src/providers/musicbrainz/query.js';
import { normaliseMbid } from '../../../src/providers/shared/mbid.js';
import { SourceError } from '../../../src/errors/source.js';
import { skipWithoutRecordings } from '../../support/recordings.js';
import { fixtureJson, recordedJson } from './fixtures.js';

const WS = 'https://musicbrainz.org/ws/2';
const mb = (pathAndQuery: string) => recordedJson('musicbrainz', `${WS}/${pathAndQuery}`);

describe('MusicBrainz query helpers', () => {
  it('escapes Lucene syntax and neutralises boolean keywords in user text', () => {
    expect(escapeLucene('You Want It Darker')).toBe('You Want It Darker');
    expect(escapeLucene('  AC/DC:  "Back in Black" (live)! ')).toBe('AC\\/DC\\: \\"Back in Black\\" \\(live\\)\\!');
    expect(escapeLucene('Sex AND Violence OR NOT')).toBe('Sex and Violence or not');
    expect(escapeLucene('a+b-c && d || e ^2 ~ * ? [x] {y} \\')).toBe(
      'a\\+b\\-c \\&\\& d \\|\\| e \\^2 \\~ \\* \\? \\[x\\] \\{y\\} \\\\',
    );
  });

  it('accepts only UUID-shaped MBIDs, in lower case', () => {
    expect(normaliseMbid('65314B12-0E08-43FA-BA33-BAAA7B874C15')).toBe('65314b12-0e08-43fa-ba33-baaa7b874c15');
    expect(normaliseMbid('xyz')).toBeNull();
    expect(normaliseMbid('65314b12-0e08-43fa-ba33-baaa7b874c1')).toBeNull();
    expect(normaliseMbid('../65314b12-0e08-43fa-ba33-baaa7b874c15')).toBeNull();
    expect(normaliseMbid(null)).toBeNull();
  });

  it('pages by offset and leaves MusicBrainz defaults out of the URL', () => {
    expect(pagingParams(25, 0)).toEqual({});
    expect(pagingParams(10, 50)).toEqual({ limit: 10, offset: 50 });
    expect(offsetFromCursor(null)).toBe(0);
    expect(offsetFromCursor('75')).toBe(75);
    expect(() => offsetFromCursor('-1')).toThrow(/cursor/);
    expect(() => offsetFromCursor('abc')).toThrow(/cursor/);
    expect(nextCursor(0, 25, 118005)).toBe('25');
    expect(nextCursor(0, 8, 8)).toBeNull();
    expect(nextCursor(100, 0, 500)).toBeNull();
  });
});

describe('MusicBrainz url relationships', () => {
  it('names platforms by host, and the official site by relationship type', () => {
    expect(platformOf('https://open.spotify.com/artist/6olE6TJLqED3rqDCT0FyPh')).toBe('spotify');
    expect(platformOf('https://www.youtube.com/user/NirvanaVEVO')).toBe('youtube');
    expect(platformOf('https://music.youtube.com/channel/x')).toBe('youtubemusic');
    expect(platformOf('https://nirvana.bandcamp.com/')).toBe('bandcamp');
    expect(platformOf('https://es.wikipedia.org/wiki/Nirvana')).toBe('wikipedia');
    expect(platformOf('https://x.com/nirvana')).toBe('twitter');
    expect(platformOf('http://www.nirvana.com/', 'official homepage')).toBe('official');
    expect(platformOf('http://www.nirvana.com/', 'fanpage')).toBeNull();
    expect(platformOf('not a url')).toBeNull();
  });
});

describe.skipIf(skipWithoutRecordings('musicbrainz'))('MusicBrainz parsers on recorded answers', () => {
  it('parses a recording lookup with artist credits', () => {
    const raw = mb('recording/07649758-09c8-4d70-bc6f-5c37ab36334d?inc=artist-credits&fmt=json');
    const track = trackFromRecording(raw);
    expect(track.id).toBe(`musicbrainz:recording:${raw.id}`);
    expect(track.title).toBe(raw.title);
    expect(track.artists).toEqual([
      { id: `musicbrainz:artist:${raw['artist-credit'][0].artist.id}`, name: raw['artist-credit'][0].name },
    ]);
    expect(raw.length).toBe(213_000);
    expect(track.durationSec).toBe(213);
    expect(track.releaseDate).toBe(raw['first-release-date']);
    expect(track.isrc).toBeNull();
    expect(track.album).toBeNull();
    expect(track.cover).toBeNull();
    expect(track.playbackUrl).toBeNull();
    expect(track.download).toEqual({ allowed: false, reason: 'NOT_LICENSED' });
    expect(track.links).toEqual([{ platform: 'musicbrainz', url: `https://musicbrainz.org/recording/${raw.id}` }]);
    expect(track.refs).toEqual({
      musicbrainzReleaseId: null,
      musicbrainzReleaseGroupId: null,
      musicbrainzArtistId: raw['artist-credit'][0].artist.id,
    });
  });

  it('rounds recording lengths in milliseconds to whole seconds', () => {
    const despacito = mb('recording/1109d8da-ce4a-4739-9414-242dc3e9b81c?fmt=json');
    const paranoid = mb('recording/9f9cf187-d6f9-437f-9d98-d59cdbd52757?fmt=json');
    expect(trackFromRecording(despacito).durationSec).toBe(229); // 229262 ms
    expect(trackFromRecording(paranoid).durationSec).toBe(384); // 383813 ms
    expect(trackFromRecording(paranoid).releaseDate).toBe(paranoid['first-release-date']);
  });

  it('parses a release search page with totals, paging and release-group types', () => {
    const raw = mb('release?query=You+Want+It+Darker&fmt=json');
    const page = parseReleaseSearch(raw, 0);
    expect(page.total).toBe(raw.count);
    expect(page.items).toHaveLength(raw.releases.length);
    expect(page.nextCursor).toBe(String(raw.releases.length));
    for (const [index, album] of page.items.entries()) {
      const release = raw.releases[index];
      expect(album.id).toBe(`musicbrainz:release:${release.id}`);
      expect(album.title).toBe(release.title);
      expect(album.artists.map((artist) => artist.name)).toEqual(release['artist-credit'].map((credit: any) => credit.name));
      expect(album.releaseDate).toBe(release.date ?? release['release-group']['first-release-date'] ?? null);
      expect(album.trackCount).toBe(release['track-count']);
      expect(album.label).toBe(release['label-info']?.find((info: any) => info.label?.name)?.label.name ?? null);
      expect(album.tracks).toBeNull();
      expect(album.refs?.musicbrainzReleaseId).toBe(release.id);
      expect(album.refs?.musicbrainzReleaseGroupId).toBe(release['release-group'].id);
    }
    const first = page.items[0]!;
    expect(first.type).toBe('SINGLE');
    expect(first.label).toBe('Columbia');
    expect(page.items[1]!.type).toBe('ALBUM');
    expect(page.items[1]!.trackCount).toBe(9);
  });

  it('parses a release lookup and its Cover Art Archive flags', () => {
    const raw = mb('release/b84ee12a-09ef-421b-82de-0441a926375b?fmt=json');
    const album = albumFromRelease(raw);
    expect(album.title).toBe('The Dark Side of the Moon');
    expect(album.releaseDate).toBe(raw.date);
    expect(album.trackCount).toBeNull();
    expect(album.tracks).toBeNull();
    expect(album.url).toBe(`https://musicbrainz.org/release/${raw.id}`);
    expect(raw['cover-art-archive'].front).toBe(true);
    expect(album.refs?.musicbrainzReleaseId).toBe(raw.id);
  });

  it('sends the cover lookup to the release group when the release has no front cover', () => {
    const raw = mb('release/b84ee12a-09ef-421b-82de-0441a926375b?fmt=json');
    const withoutFront = { ...raw, 'cover-art-archive': { ...raw['cover-art-archive'], front: false } };
    expect(albumFromRelease(withoutFront).refs?.musicbrainzReleaseId).toBeNull();
  });

  it('counts tracks across media when only the media summary is included', () => {
    const raw = mb('release/a4864e94-6d75-4ade-bc93-0dabf3521453?inc=media&fmt=json');
    const album = albumFromRelease(raw);
    expect(album.title).toBe('The Fragile');
    expect(album.trackCount).toBe(raw.media.reduce((sum: number, medium: any) => sum + medium['track-count'], 0));
    expect(album.trackCount).toBe(23);
    expect(album.tracks).toBeNull();
  });

  it('parses an artist with url relationships into links by platform', () => {
    const raw = mb('artist/5b11f4ce-a62d-471e-81fc-a69a8278c7da?inc=url-rels&fmt=json');
    const artist = artistFromMb(raw);
    expect(artist.id).toBe('musicbrainz:artist:5b11f4ce-a62d-471e-81fc-a69a8278c7da');
    expect(artist.name).toBe(raw.name);
    expect(artist.country).toBe(raw.country);
    expect(artist.type).toBe(raw.type);
    expect(artist.disambiguation).toBe(raw.disambiguation || null);
    const byPlatform = (platform: string) => artist.links.filter((link) => link.platform === platform).map((link) => link.url);
    expect(byPlatform('spotify')).toEqual(['https://open.spotify.com/artist/6olE6TJLqED3rqDCT0FyPh']);
    expect(byPlatform('youtube')).toEqual(['https://www.youtube.com/user/NirvanaVEVO']);
    expect(byPlatform('soundcloud')).toEqual(['https://soundcloud.com/nirvana']);
    expect(byPlatform('wikidata')).toEqual(['https://www.wikidata.org/wiki/Q11649']);
    expect(byPlatform('discogs')).toEqual(['https://www.discogs.com/artist/125246']);
    expect(byPlatform('allmusic')).toEqual(['https://www.allmusic.com/artist/mn0000357406']);
    expect(byPlatform('instagram')).toEqual(['https://www.instagram.com/nirvana/']);
    expect(byPlatform('twitter')).toEqual(['https://twitter.com/Nirvana']);
    expect(byPlatform('facebook')).toEqual(['https://www.facebook.com/Nirvana']);
    expect(byPlatform('official')).toEqual(['http://www.nirvana.com/']);
    expect(byPlatform('musicbrainz')).toEqual([`https://musicbrainz.org/artist/${raw.id}`]);
    // Every link comes from a relationship still in force; ended ones (the BBC page) are dropped.
    const live = raw.relations.filter((relation: any) => !relation.ended).map((relation: any) => relation.url.resource);
    for (const link of artist.links.filter((l) => l.platform !== 'musicbrainz')) expect(live).toContain(link.url);
    expect(artist.links.some((link) => link.url.includes('bbc.co.uk'))).toBe(false);
    expect(artist.refs).toEqual({ musicbrainzArtistId: raw.id });
  });

  it('picks a free streaming page as the place to listen', () => {
    const raw = mb('artist/5b11f4ce-a62d-471e-81fc-a69a8278c7da?inc=url-rels&fmt=json');
    const firstFree = raw.relations.find((relation: any) => relation.type === 'free streaming').url.resource;
    expect(listeningUrl(raw.relations)).toBe(firstFree);
    expect(listeningUrl([])).toBeNull();
    expect(linksFromRelations(undefined)).toEqual([]);
  });

  it('parses an artist search page with tags as genres, most voted first', () => {
    const raw = mb('artist?limit=1&inc=tags&query=Leonard+Cohen&fmt=json');
    const page = parseArtistSearch(raw, 0);
    expect(page.total).toBe(raw.count);
    expect(page.nextCursor).toBe('1');
    const [artist] = page.items;
    expect(artist!.name).toBe('Leonard Cohen');
    expect(artist!.country).toBe('CA');
    expect(artist!.type).toBe('Person');
    const voted = raw.artists[0].tags
      .filter((tag: any) => tag.count > 0)
      .sort((a: any, b: any) => b.count - a.count)
      .slice(0, 10)
      .map((tag: any) => tag.name);
    expect(artist!.genres).toEqual(voted);
    expect(artist!.genres[0]).toBe('folk');
    expect(artist!.genres).not.toContain('singer and songwriter'); // zero net votes
  });

  it('parses a release-group browse (discography) with its counters', () => {
    const raw = mb('release-group?artist=5b11f4ce-a62d-471e-81fc-a69a8278c7da&type=ep&fmt=json');
    const page = parseReleaseGroupBrowse(raw, 0);
    expect(page.total).toBe(raw['release-group-count']);
    expect(page.items.map((album) => album.title)).toEqual(raw['release-groups'].map((group: any) => group.title));
    expect(page.items.every((album) => album.type === 'EP')).toBe(true);
    expect(page.items.every((album) => album.id.startsWith('musicbrainz:release-group:'))).toBe(true);
    expect(page.items[0]!.refs?.musicbrainzReleaseGroupId).toBe(raw['release-groups'][0].id);
    expect(page.nextCursor).toBeNull();
    // An empty first-release-date is unknown, not a date.
    expect(page.items[0]!.releaseDate).toBeNull();
  });

  it('reads compilations and multi-artist credits from a release group', () => {
    const raw = mb('release-group/53614893-6f25-4519-9cae-b1db904e2887?inc=artist-credits&fmt=json');
    const album = albumFromReleaseGroup(raw);
    expect(album.type).toBe('COMPILATION');
    expect(album.artists).toEqual([
      { id: 'musicbrainz:artist:d9c25451-bec6-4273-abe2-15ce0f0e0621', name: 'DJ Muggs', joinPhrase: ' vs. ' },
      { id: 'musicbrainz:artist:c7e90641-f441-4801-8e4a-d09e10f452b8', name: 'Ill Bill' },
    ]);
    expect(album.releaseDate).toBe(raw['first-release-date']);
    expect(album.tracks).toBeNull();
    expect(album.refs).toEqual({
      musicbrainzReleaseId: null,
      musicbrainzReleaseGroupId: raw.id,
      musicbrainzArtistId: 'd9c25451-bec6-4273-abe2-15ce0f0e0621',
    });
  });
});

describe.skipIf(skipWithoutRecordings('musicbrainz'))('MusicBrainz identity fields on recorded answers', () => {
  const DOWN_IN_A_HOLE = 'recording/b5502d6e-25af-4655-966d-faceab6fa0df?inc=aliases+artist-credits+releases&fmt=json';
  const UNPLUGGED = 'recording/cab031ca-fb14-470b-9336-528524007ed1?inc=aliases+artist-credits+releases&fmt=json';

  it('reads barcode, country and formats of the releases in a search page', () => {
    const raw = mb('release?query=You+Want+It+Darker&fmt=json');
    const albums = parseReleaseSearch(raw, 0).items;
    const byId = (prefix: string) => albums.find((album) => album.id.startsWith(`musicbrainz:release:${prefix}`))!;
    expect(byId('3d354599')).toMatchObject({ barcode: '4547366272154', country: 'JP', formats: ['CD'] });
    expect(byId('42fab4c5')).toMatchObject({ barcode: '889853650712', country: null, formats: ['12" Vinyl'] });
    expect(byId('5270d638')).toMatchObject({ barcode: null, country: 'XW', formats: ['Digital Media'] });
    // An empty barcode means "none"; a medium of unknown format adds no format.
    expect(byId('22a1945f').barcode).toBeNull();
    expect(byId('15c88cc0')).toMatchObject({ country: 'CA', formats: [] });
  });

  it('takes a country from the release events when the release country is a region', () => {
    const raw = mb(DOWN_IN_A_HOLE);
    const release = (prefix: string) => raw.releases.find((candidate: any) => candidate.id.startsWith(prefix));
    expect(countryOf(release('66e95974'))).toBe('US');
    expect(countryOf(release('4cc73450'))).toBeNull(); // XE only
    expect(countryOf(release('aecfa9be'))).toBe('DE'); // XE, then Germany and the UK
    expect(countryOf(release('322c7d6a'))).toBeNull(); // no country, an event without an area
    expect(barcodeOf(release('66e95974'))).toBe('074645247526');
    expect(formatsOf(release('66e95974'))).toEqual([]); // the lookup did not include media
  });

  it('takes the dated first edition as the album of a recording, over year-only editions', () => {
    const studio = trackFromRecording(mb(DOWN_IN_A_HOLE));
    // Eleven "Dirt" editions of 1992; the US one of 29 September is the one known to be first.
    expect(studio.album).toEqual({ id: 'musicbrainz:release:66e95974-2592-4ea3-b1f7-27e283f10877', title: 'Dirt' });
    expect(studio.releaseDate).toBe('1992-09-29');
    expect(studio.durationSec).toBe(338);
    const live = trackFromRecording(mb(UNPLUGGED));
    expect(live.refs?.musicbrainzReleaseId).toBe('0cb9ccb0-487b-409b-992e-c41577b9a426');
    expect(live.album?.title).toBe('MTV Unplugged');
    expect(live.releaseDate).toBe('1996-07-29');
  });

  it('lists every ISRC of a recording, normalised, and credits an ISRC lookup to each recording', () => {
    expect(isrcsOf({ isrcs: ['uswb10300468', 'US-WB1-03-00468', 'USWB11201129', 'not an isrc', 7 as never] })).toEqual(['USWB10300468', 'USWB11201129']);
    expect(isrcsOf({ isrcs: 'USWB10300468' as never })).toEqual([]);
    const lookup = mb('isrc/USGF19942501?inc=artist-credits+tags&fmt=json');
    const tracks = parseIsrcLookup(lookup, 'USGF19942501');
    expect(tracks.map((track) => track.isrcs)).toEqual([['USGF19942501'], ['USGF19942501']]);
    expect(() => parseIsrcLookup({ isrc: 'USGF19942501' } as never, 'USGF19942501')).toThrow(SourceError);
  });
});

describe('MusicBrainz parsers on documented answers (test/fixtures/musicbrainz)', () => {
  it('builds the track list of a release with positions and durations', () => {
    const raw = fixtureJson('musicbrainz', 'release-aff4a693-inc-labels-recordings.json');
    const album = albumFromRelease(raw);
    expect(album.title).toBe('the Love Bug');
    expect(album.label).toBe('rhythm zone');
    expect(album.trackCount).toBe(3);
    const tracks = album.tracks!;
    const rawTracks = raw.media[0].tracks;
    expect(tracks.map((track) => track.title)).toEqual(rawTracks.map((track: any) => track.title));
    expect(tracks.map((track) => track.durationSec)).toEqual([243, 222, 333]);
    expect(tracks.map((track) => track.trackNumber)).toEqual([1, 2, 3]);
    expect(tracks.map((track) => track.discNumber)).toEqual([1, 1, 1]);
    expect(tracks.map((track) => track.id)).toEqual(rawTracks.map((track: any) => `musicbrainz:recording:${track.recording.id}`));
    expect(tracks.every((track) => track.album?.id === album.id && track.album?.title === album.title)).toBe(true);
    expect(tracks[0]!.releaseDate).toBe('2004-03-17');
    expect(tracks[0]!.refs?.musicbrainzReleaseId).toBe(raw.id);
  });

  it('picks the official release of a recording as its album', () => {
    const raw = fixtureJson('musicbrainz', 'recording-162630d9-inc-releases.json');
    const track = trackFromRecording(raw);
    expect(track.album).toEqual({ id: 'musicbrainz:release:0385f276-5f4f-4c81-a7a4-6bd7b8d85a7e', title: 'サマーれげぇ!レインボー' });
    expect(track.releaseDate).toBe('2001-07-04');
    expect(track.durationSec).toBe(296);
    expect(track.refs?.musicbrainzReleaseId).toBe('0385f276-5f4f-4c81-a7a4-6bd7b8d85a7e');
    expect(representativeRelease([...raw.releases].reverse())?.id).toBe('0385f276-5f4f-4c81-a7a4-6bd7b8d85a7e');
  });

  it('keeps join phrases between credited artists', () => {
    const track = trackFromRecording(fixtureJson('musicbrainz', 'recording-0cf3008f-inc-artists.json'));
    expect(track.artists).toEqual([
      { id: 'musicbrainz:artist:22dd2db3-88ea-4428-a7a8-5cd3acf23175', name: 'm-flo', joinPhrase: '♥' },
      { id: 'musicbrainz:artist:a16d1433-ba89-4f72-a47b-a370add0bb55', name: 'BoA' },
    ]);
    expect(track.durationSec).toBe(242);
  });
});

describe('MusicBrainz parsers on damaged payloads', () => {
  it('rejects answers that are not MusicBrainz search pages', () => {
    expect(() => parseRecordingSearch({} as any, 0)).toThrow(SourceError);
    expect(() => parseRecordingSearch({ recordings: 'x' } as any, 0)).toThrowError(/unrecognised/);
  });

  it('skips hits without an id and keeps the rest', () => {
    const page = parseRecordingSearch({ count: 2, offset: 0, recordings: [{ title: 'no id' }, { id: 'abc', title: 'ok' }] }, 0);
    expect(page.items.map((track) => track.title)).toEqual(['ok']);
    expect(page.nextCursor).toBeNull();
  });

  it('reads fields of the wrong type as missing instead of failing on them', () => {
    const odd = {
      id: '1109d8da-ce4a-4739-9414-242dc3e9b81c',
      title: 'x',
      'artist-credit': { name: 'not a list' },
      releases: 'none',
      relations: [null, 'x', { type: 'free streaming' }],
      isrcs: 5,
      tags: [null],
      genres: 'rock',
    };
    const track = trackFromRecording(odd as never);
    expect(track).toMatchObject({ artists: [], album: null, isrc: null, isrcs: [], genres: [], playbackUrl: null });
    const album = albumFromRelease({ id: 'b84ee12a-09ef-421b-82de-0441a926375b', media: 'x', 'label-info': [null], 'release-group': 'x', 'release-events': [1] } as never);
    expect(album).toMatchObject({ tracks: null, trackCount: null, label: null, type: null, formats: [], country: null });
  });

  it('turns missing fields into nulls and empty lists', () => {
    const track = trackFromRecording({ id: '1109d8da-ce4a-4739-9414-242dc3e9b81c' });
    expect(track).toMatchObject({ title: '', artists: [], album: null, durationSec: null, releaseDate: null, isrc: null, genres: [] });
    expect(albumType(undefined)).toBeNull();
    expect(albumType({ 'primary-type': 'Broadcast' })).toBe('OTHER');
    expect(genresOf({ genres: [{ name: 'rock', count: 3 }], tags: [{ name: 'tag', count: 9 }] })).toEqual(['rock']);
  });
});
