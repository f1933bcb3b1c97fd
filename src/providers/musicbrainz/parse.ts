import { formatGlobalId } from '../../domain/ids.js';
import type { Album, AlbumType, Artist, ArtistCredit, CrossRefs, Page, Track } from '../../domain/types.js';
import { SourceError } from '../../errors/source.js';
import { isCountryCode } from '../shared/countries.js';
import { msToSeconds, num, partialDate, text } from '../shared/parse.js';
import { linksFromRelations, listeningUrl } from './links.js';
import { SOURCE, nextCursor } from './query.js';

export { SOURCE };
import type {
  MbArtist,
  MbArtistCredit,
  MbIsrcLookup,
  MbMedium,
  MbRecording,
  MbRelease,
  MbReleaseGroup,
  MbReleaseGroupBrowse,
  MbSearchResponse,
  MbTag,
} from './types.js';

const WEB = 'https://musicbrainz.org';
/** Genres shown per entity: enough to describe it, few enough to stay meaningful. */
const MAX_GENRES = 10;

const ISRC = /^[A-Z]{2}[A-Z0-9]{3}\d{7}$/;

function pageUrl(kind: 'recording' | 'release' | 'release-group' | 'artist', mbid: string): string {
  return `${WEB}/${kind}/${mbid}`;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The objects of a list field; anything else (a missing list, a string, nulls inside) reads as nothing. */
function entries<T extends object>(value: readonly T[] | null | undefined): T[] {
  return Array.isArray(value) ? value.filter((item): item is T => isObject(item)) : [];
}

function badResponse(what: string): SourceError {
  return new SourceError(SOURCE, 'BAD_RESPONSE', `unrecognised ${what} payload`);
}

/** A lookup answer is an object carrying the entity's id; anything else is not MusicBrainz talking. */
export function assertEntity(body: unknown, what: string): void {
  if (!isObject(body) || typeof body.id !== 'string') throw badResponse(what);
}

/** A search or browse answer holds its results under one array key. */
function assertList(body: unknown, key: string): void {
  if (!isObject(body) || !Array.isArray(body[key])) throw badResponse(key);
}

function artistCredits(credits: readonly MbArtistCredit[] | undefined): ArtistCredit[] {
  const result: ArtistCredit[] = [];
  for (const credit of entries(credits)) {
    const name = text(credit.name) ?? text(credit.artist?.name);
    if (!name) continue;
    const artistId = text(credit.artist?.id);
    const joinPhrase = credit.joinphrase ?? '';
    result.push({
      id: artistId ? formatGlobalId(SOURCE, 'artist', artistId) : null,
      name,
      ...(joinPhrase !== '' ? { joinPhrase } : {}),
    });
  }
  return result;
}

function firstArtistMbid(credits: readonly MbArtistCredit[] | undefined): string | null {
  for (const credit of entries(credits)) {
    const id = text(credit.artist?.id);
    if (id) return id;
  }
  return null;
}

/**
 * Curated genres when the answer has them (`inc=genres`), otherwise the folksonomy tags that
 * still have votes in their favour; most voted first.
 */
export function genresOf(entity: { genres?: MbTag[]; tags?: MbTag[] }): string[] {
  const genres = entries(entity.genres);
  const source = genres.length > 0 ? genres : entries(entity.tags);
  return source
    .map((tag) => ({ name: text(tag.name), count: num(tag.count) ?? 0 }))
    .filter((tag): tag is { name: string; count: number } => tag.name !== null && tag.count > 0)
    .sort((a, b) => b.count - a.count)
    .slice(0, MAX_GENRES)
    .map((tag) => tag.name);
}

export function albumType(group: MbReleaseGroup | undefined): AlbumType | null {
  if (!isObject(group)) return null;
  const secondary = Array.isArray(group['secondary-types']) ? group['secondary-types'] : [];
  if (secondary.some((type) => text(type)?.toLowerCase() === 'compilation')) return 'COMPILATION';
  const primary = text(group['primary-type'])?.toLowerCase();
  if (!primary) return null;
  if (primary === 'album') return 'ALBUM';
  if (primary === 'single') return 'SINGLE';
  if (primary === 'ep') return 'EP';
  return 'OTHER';
}

/**
 * The release that best stands for a recording's album: official over bootlegs and promos, a
 * studio album over a compilation or single, then the earliest known date. MusicBrainz lists
 * releases in no useful order.
 */
export function representativeRelease(releases: readonly MbRelease[] | undefined): MbRelease | null {
  const candidates = entries(releases).filter((release) => text(release.id) && text(release.title));
  if (candidates.length === 0) return null;
  const rank = (release: MbRelease): number => {
    const type = albumType(release['release-group']);
    return (release.status === 'Official' ? 0 : 2) + (type === 'ALBUM' ? 0 : type === 'EP' ? 0.5 : 1);
  };
  // A year alone sorts after the dated releases of that year: "1992" may be any day of it, while
  // "1992-09-29" is known to be that early.
  const date = (release: MbRelease): string => (partialDate(release.date) ?? '9999').padEnd(10, '~');
  return [...candidates].sort((a, b) => rank(a) - rank(b) || date(a).localeCompare(date(b)))[0] ?? null;
}

function refs(releaseId: string | null, releaseGroupId: string | null, artistId: string | null): CrossRefs {
  return {
    musicbrainzReleaseId: releaseId,
    musicbrainzReleaseGroupId: releaseGroupId,
    musicbrainzArtistId: artistId,
  };
}

/** Every well-formed ISRC of a recording, upper case without dashes, each once, in MusicBrainz's order. */
export function isrcsOf(recording: MbRecording): string[] {
  const codes = (Array.isArray(recording.isrcs) ? recording.isrcs : [])
    .map((code) => text(code)?.toUpperCase().replace(/[-\s]/g, '') ?? '')
    .filter((code) => ISRC.test(code));
  return [...new Set(codes)];
}

/** A recording from a lookup or a search. */
export function trackFromRecording(recording: MbRecording): Track {
  const id = text(recording.id);
  if (!id) throw badResponse('recording');
  const release = representativeRelease(recording.releases);
  const releaseId = text(release?.id);
  const credits = recording['artist-credit'];
  return {
    ...recordingFields(recording, id),
    title: text(recording.title) ?? '',
    artists: artistCredits(credits),
    album: release && releaseId ? { id: formatGlobalId(SOURCE, 'release', releaseId), title: text(release.title) ?? '' } : null,
    durationSec: msToSeconds(recording.length),
    releaseDate: partialDate(recording['first-release-date']) ?? partialDate(release?.date),
    refs: refs(releaseId, text(release?.['release-group']?.id), firstArtistMbid(credits)),
  };
}

/** What a track made of a MusicBrainz recording says whoever listed it (a search, a lookup, a release). */
function recordingFields(
  recording: MbRecording,
  id: string,
): Pick<Track, 'id' | 'source' | 'isrc' | 'isrcs' | 'versionNote' | 'cover' | 'playbackUrl' | 'previewUrl' | 'license' | 'download' | 'genres' | 'links'> {
  const isrcs = isrcsOf(recording);
  return {
    id: formatGlobalId(SOURCE, 'recording', id),
    source: SOURCE,
    isrc: isrcs[0] ?? null,
    isrcs,
    // "live, 1996-04-10: Majestic Theatre": what tells a live take from the studio one.
    versionNote: text(recording.disambiguation),
    cover: null,
    playbackUrl: listeningUrl(recording.relations),
    previewUrl: null,
    license: null,
    download: { allowed: false, reason: 'NOT_LICENSED' },
    genres: genresOf(recording),
    // With `inc=recording-level-rels+url-rels` a release's recordings bring the pages MusicBrainz links them to.
    links: [...linksFromRelations(recording.relations), { platform: 'musicbrainz', url: pageUrl('recording', id) }],
  };
}

/** The tracks of a release's media, in disc then track order, when the answer includes them. */
function tracksOfRelease(release: MbRelease, album: { id: string; title: string }, albumRefs: CrossRefs): Track[] | null {
  const media = entries(release.media);
  if (!media.some((medium) => Array.isArray(medium.tracks))) return null;
  const albumCredits = release['artist-credit'];
  const tracks: Track[] = [];
  for (const [mediumIndex, medium] of media.entries()) {
    for (const [trackIndex, track] of entries(medium.tracks).entries()) {
      const recording: MbRecording = isObject(track.recording) ? (track.recording as MbRecording) : {};
      const recordingId = text(recording.id);
      if (!recordingId) continue;
      const credits = track['artist-credit'] ?? recording['artist-credit'] ?? albumCredits;
      tracks.push({
        ...recordingFields(recording, recordingId),
        title: text(track.title) ?? text(recording.title) ?? '',
        artists: artistCredits(credits),
        album,
        durationSec: msToSeconds(track.length) ?? msToSeconds(recording.length),
        releaseDate: partialDate(recording['first-release-date']) ?? partialDate(release.date),
        trackNumber: num(track.position) ?? trackIndex + 1,
        discNumber: discNumber(medium, mediumIndex),
        refs: { ...albumRefs, musicbrainzArtistId: firstArtistMbid(credits) ?? albumRefs.musicbrainzArtistId ?? null },
      });
    }
  }
  return tracks;
}

function discNumber(medium: MbMedium, index: number): number {
  return num(medium.position) ?? index + 1;
}

function trackCountOf(release: MbRelease): number | null {
  const direct = num(release['track-count']);
  if (direct !== null) return direct;
  const counts = entries(release.media).map((medium) => num(medium['track-count']) ?? (Array.isArray(medium.tracks) ? medium.tracks.length : null));
  if (counts.length === 0 || counts.some((count) => count === null)) return null;
  return counts.reduce<number>((sum, count) => sum + (count ?? 0), 0);
}

/** The UPC/EAN printed on a release, digits only; null when it has none or MusicBrainz does not know. */
export function barcodeOf(release: MbRelease): string | null {
  const raw = text(release.barcode)?.replace(/\s/g, '') ?? null;
  return raw && /^\d{6,14}$/.test(raw) ? raw : null;
}

/**
 * Where the release came out: its own country when that is ISO 3166-1 or worldwide (`XW`), else
 * the first release event with an ISO code. MusicBrainz's other pseudo-countries (`XE` Europe,
 * `XU` unknown) are no country, so they read as unknown.
 */
export function countryOf(release: MbRelease): string | null {
  const own = text(release.country)?.toUpperCase() ?? null;
  if (own && (own === 'XW' || isCountryCode(own))) return own;
  for (const event of entries(release['release-events'])) {
    const code = text(event?.area?.['iso-3166-1-codes']?.[0])?.toUpperCase() ?? null;
    if (code && isCountryCode(code)) return code;
  }
  return null;
}

/** The formats of a release's media (`CD`, `Digital Media`), each once, in medium order. */
export function formatsOf(release: MbRelease): string[] {
  const formats = entries(release.media)
    .map((medium) => text(medium.format))
    .filter((format): format is string => format !== null);
  return [...new Set(formats)];
}

/** A release (one edition of an album) from a lookup or a search. */
export function albumFromRelease(release: MbRelease): Album {
  const id = text(release.id);
  if (!id) throw badResponse('release');
  const group = isObject(release['release-group']) ? (release['release-group'] as MbReleaseGroup) : undefined;
  const title = text(release.title) ?? text(group?.title) ?? '';
  const globalId = formatGlobalId(SOURCE, 'release', id);
  // The Cover Art Archive entry of this release is worth asking only when it may hold a front
  // cover; a release known to have none sends the catalog straight to the release group.
  const albumRefs = refs(
    release['cover-art-archive']?.front === false ? null : id,
    text(group?.id),
    firstArtistMbid(release['artist-credit']) ?? firstArtistMbid(group?.['artist-credit']),
  );
  const ownGenres = genresOf(release);
  return {
    id: globalId,
    source: SOURCE,
    title,
    artists: artistCredits(release['artist-credit'] ?? group?.['artist-credit']),
    releaseDate: partialDate(release.date) ?? partialDate(group?.['first-release-date']),
    cover: null,
    trackCount: trackCountOf(release),
    tracks: tracksOfRelease(release, { id: globalId, title }, albumRefs),
    genres: ownGenres.length > 0 ? ownGenres : group ? genresOf(group) : [],
    label: labelOf(release),
    barcode: barcodeOf(release),
    country: countryOf(release),
    formats: formatsOf(release),
    type: albumType(group),
    url: pageUrl('release', id),
    license: null,
    refs: albumRefs,
  };
}

function labelOf(release: MbRelease): string | null {
  for (const info of entries(release['label-info'])) {
    const name = text(info.label?.name);
    if (name) return name;
  }
  return null;
}

/**
 * A release group (the album across all its editions), as discographies list them. When a
 * representative edition with its track list is at hand, its tracks fill the album.
 */
export function albumFromReleaseGroup(group: MbReleaseGroup, edition: MbRelease | null = null): Album {
  const id = text(group.id);
  if (!id) throw badResponse('release-group');
  const globalId = formatGlobalId(SOURCE, 'release-group', id);
  const title = text(group.title) ?? '';
  const credits = group['artist-credit'] ?? edition?.['artist-credit'];
  const editionId = text(edition?.id);
  const albumRefs = refs(
    edition && edition['cover-art-archive']?.front !== false ? editionId : null,
    id,
    firstArtistMbid(credits),
  );
  const ownGenres = genresOf(group);
  return {
    id: globalId,
    source: SOURCE,
    title,
    artists: artistCredits(credits),
    releaseDate: partialDate(group['first-release-date']) ?? partialDate(edition?.date),
    cover: null,
    trackCount: edition ? trackCountOf(edition) : null,
    tracks: edition ? tracksOfRelease(edition, { id: globalId, title }, albumRefs) : null,
    genres: ownGenres.length > 0 ? ownGenres : edition ? genresOf(edition) : [],
    label: edition ? labelOf(edition) : null,
    type: albumType(group),
    url: pageUrl('release-group', id),
    license: null,
    refs: albumRefs,
  };
}

export function artistFromMb(artist: MbArtist): Artist {
  const id = text(artist.id);
  if (!id) throw badResponse('artist');
  const url = pageUrl('artist', id);
  return {
    id: formatGlobalId(SOURCE, 'artist', id),
    source: SOURCE,
    name: text(artist.name) ?? '',
    disambiguation: text(artist.disambiguation),
    type: text(artist.type),
    country: text(artist.country) ?? text(artist.area?.['iso-3166-1-codes']?.[0]),
    photo: null,
    biography: null,
    links: [...linksFromRelations(artist.relations), { platform: 'musicbrainz', url }],
    genres: genresOf(artist),
    similar: [],
    url,
    refs: { musicbrainzArtistId: id },
  };
}

/** Entries that cannot be parsed (no id) are dropped rather than failing the whole page. */
function parseEach<Raw, Out>(items: readonly Raw[], parse: (item: Raw) => Out): Out[] {
  const out: Out[] = [];
  for (const item of items) {
    try {
      out.push(parse(item));
    } catch {
      // skipped: one malformed hit must not hide the others
    }
  }
  return out;
}

function searchPage<Raw, Out>(
  body: MbSearchResponse,
  key: 'recordings' | 'releases' | 'artists',
  offset: number,
  parse: (item: Raw) => Out,
): Page<Out> {
  assertList(body, key);
  const raw = body[key] as unknown as Raw[];
  const total = num(body.count);
  const start = num(body.offset) ?? offset;
  return { items: parseEach(raw, parse), total, nextCursor: nextCursor(start, raw.length, total) };
}

export function parseRecordingSearch(body: MbSearchResponse, offset: number): Page<Track> {
  return searchPage(body, 'recordings', offset, trackFromRecording);
}

export function parseReleaseSearch(body: MbSearchResponse, offset: number): Page<Album> {
  return searchPage(body, 'releases', offset, albumFromRelease);
}

export function parseArtistSearch(body: MbSearchResponse, offset: number): Page<Artist> {
  return searchPage(body, 'artists', offset, artistFromMb);
}

/** An ISRC lookup: every recording carrying the code, each known to carry it even without `inc=isrcs`. */
export function parseIsrcLookup(body: MbIsrcLookup, isrc: string): Track[] {
  assertList(body, 'recordings');
  return parseEach(body.recordings ?? [], (recording) => {
    const track = trackFromRecording(recording);
    const isrcs = track.isrcs?.includes(isrc) ? track.isrcs : [...(track.isrcs ?? []), isrc];
    return { ...track, isrc: isrcs[0] ?? isrc, isrcs };
  });
}

export function parseReleaseGroupBrowse(body: MbReleaseGroupBrowse, offset: number): Page<Album> {
  assertList(body, 'release-groups');
  const raw = body['release-groups'] ?? [];
  const total = num(body['release-group-count']);
  const start = num(body['release-group-offset']) ?? offset;
  return {
    items: parseEach(raw, (group) => albumFromReleaseGroup(group)),
    total,
    nextCursor: nextCursor(start, raw.length, total),
  };
}
