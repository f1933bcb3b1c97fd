import { platformOfHost } from '../shared/links.js';
import type { Album, Artist, ArtistCredit, Biography, ChartEntry, ExternalLink, Track } from '../../domain/types.js';
import { SourceError } from '../../errors/source.js';
import { text } from '../shared/parse.js';
import { dig, digArray, digString, isRecord, renderersIn, unwrap } from './dig.js';
import { imageSetOf, thumbnailsOf } from './images.js';
import {
  albumFromCard,
  albumFromRow,
  albumId,
  artistFromRow,
  artistShell,
  BROWSE_URL,
  creditFromCard,
  playlistFromCard,
  trackFromRow,
  type DriftReporter,
} from './items.js';
import { albumTypeOfLabel, creditsOf, leadingCount, linkOf, readSubtitle, runsOf, runsText, segmentsOf, SOURCE } from './runs.js';

/**
 * Page-level parsers: a whole InnerTube response in, domain objects out. Each first finds the
 * layout it knows (the renderer that holds the results); when none is there the response is a
 * page this code does not understand and becomes `BAD_RESPONSE`, so the chain moves on. Inside a
 * recognised layout every field is optional (see `items.ts`).
 */

export interface SearchPage<T> {
  items: T[];
  /** InnerTube continuation token of the next page, null on the last one. */
  continuation: string | null;
}

function unrecognised(what: string): SourceError {
  return new SourceError(SOURCE, 'BAD_RESPONSE', `unrecognised ${what} response: no known renderer found`);
}

// ---------------------------------------------------------------------------------------------
// Search

interface ShelfSlice {
  contents: unknown[];
  continuation: string | null;
}

function continuationOf(shelf: unknown): string | null {
  const classic = digString(shelf, 'continuations', 0, 'nextContinuationData', 'continuation');
  if (classic) return classic;
  // Newer InnerTube pages end the list with a continuation item instead.
  const last = digArray(shelf, 'contents').at(-1);
  return digString(last, 'continuationItemRenderer', 'continuationEndpoint', 'continuationCommand', 'token') ?? null;
}

/** The result shelf of a filtered search's first page or of a continuation page. */
function searchShelf(body: unknown): ShelfSlice {
  const continued = dig(body, 'continuationContents', 'musicShelfContinuation');
  if (isRecord(continued)) return { contents: digArray(continued, 'contents'), continuation: continuationOf(continued) };

  const sectionList = digArray(body, 'contents', 'tabbedSearchResultsRenderer', 'tabs')
    .map((tab) => dig(tab, 'tabRenderer', 'content', 'sectionListRenderer'))
    .find(isRecord);
  if (!sectionList) throw unrecognised('search');
  const [shelf] = renderersIn(digArray(sectionList, 'contents'), ['musicShelfRenderer']);
  // A recognised page without a result shelf is "no results" (it holds a messageRenderer).
  if (!shelf) return { contents: [], continuation: null };
  return { contents: digArray(shelf[1], 'contents'), continuation: continuationOf(shelf[1]) };
}

function collect<T>(contents: unknown[], parse: (item: unknown) => T | null): T[] {
  const items: T[] = [];
  for (const item of contents) {
    const parsed = parse(item);
    if (parsed) items.push(parsed);
  }
  return items;
}

export function parseTrackSearch(body: unknown, report: DriftReporter): SearchPage<Track> {
  const shelf = searchShelf(body);
  return { items: collect(shelf.contents, (item) => trackFromRow(item, report)?.track ?? null), continuation: shelf.continuation };
}

export function parseAlbumSearch(body: unknown, report: DriftReporter): SearchPage<Album> {
  const shelf = searchShelf(body);
  return { items: collect(shelf.contents, (item) => albumFromRow(item, report)), continuation: shelf.continuation };
}

export function parseArtistSearch(body: unknown, report: DriftReporter): SearchPage<Artist> {
  const shelf = searchShelf(body);
  return { items: collect(shelf.contents, (item) => artistFromRow(item, report)), continuation: shelf.continuation };
}

// ---------------------------------------------------------------------------------------------
// Album page (`browse MPREb_…`)

const VARIOUS_ARTISTS = /^(various artists|varios artistas|artistas varios)$/i;

function tabSections(body: unknown, layout: 'twoColumnBrowseResultsRenderer' | 'singleColumnBrowseResultsRenderer'): unknown[] {
  return digArray(body, 'contents', layout, 'tabs', 0, 'tabRenderer', 'content', 'sectionListRenderer', 'contents');
}

function secondarySections(body: unknown): unknown[] {
  return digArray(body, 'contents', 'twoColumnBrowseResultsRenderer', 'secondaryContents', 'sectionListRenderer', 'contents');
}

/** The page header: in the tab's section list (2024+ layout) or in `header` (older pages). */
function responsiveHeader(body: unknown): Record<string, unknown> | undefined {
  const [inTab] = renderersIn(tabSections(body, 'twoColumnBrowseResultsRenderer'), ['musicResponsiveHeaderRenderer']);
  return inTab?.[1] ?? unwrap(dig(body, 'header'), 'musicResponsiveHeaderRenderer') ?? unwrap(dig(body, 'header'), 'musicDetailHeaderRenderer');
}

export function parseAlbumPage(body: unknown, browseId: string, report: DriftReporter): Album {
  const header = responsiveHeader(body);
  const [shelf] = renderersIn([...secondarySections(body), ...tabSections(body, 'singleColumnBrowseResultsRenderer')], ['musicShelfRenderer']);
  if (!header && !shelf) throw unrecognised('album');

  const title = runsText(dig(header, 'title'));
  if (!title) {
    report('album.title');
    throw new SourceError(SOURCE, 'BAD_RESPONSE', `album ${browseId}: page has no title`);
  }
  const subtitle = readSubtitle(runsOf(dig(header, 'subtitle')));
  const artists = creditsOf(runsOf(dig(header, 'straplineTextOne')));
  if (artists.length === 0) report('album.artists');
  const cover = imageSetOf(thumbnailsOf(dig(header, 'thumbnail', 'musicThumbnailRenderer', 'thumbnail')));
  if (!cover) report('album.cover');
  if (!shelf) report('album.tracks');

  const ref = { id: albumId(browseId), title };
  const tracks = shelf
    ? collect(
        digArray(shelf[1], 'contents'),
        (item) => trackFromRow(item, report, { album: ref, artists, cover, releaseDate: subtitle.year, coverExpected: false })?.track ?? null,
      )
    : null;

  const [countSegment] = segmentsOf(runsOf(dig(header, 'secondSubtitle')));
  const trackCount = leadingCount(countSegment ? countSegment.map((run) => run.text ?? '').join('') : null) ?? tracks?.length ?? null;

  let type = albumTypeOfLabel(subtitle.typeLabel);
  if (type === 'ALBUM' && artists.length === 1 && artists[0]!.id === null && VARIOUS_ARTISTS.test(artists[0]!.name)) type = 'COMPILATION';

  return {
    id: ref.id,
    source: SOURCE,
    title,
    artists,
    releaseDate: subtitle.year,
    cover,
    trackCount,
    tracks,
    genres: [],
    label: null,
    type,
    url: digString(body, 'microformat', 'microformatDataRenderer', 'urlCanonical') ?? `${BROWSE_URL}${browseId}`,
  };
}

// ---------------------------------------------------------------------------------------------
// Artist page (`browse UC…`)

export interface ArtistPage {
  artist: Artist;
  /** Albums, singles and EPs shown on the page (the full list is a further page). */
  discography: Album[];
}

const LICENSE_HOSTS = /(^|\.)creativecommons\.org$/;


function hostOf(url: string): string | null {
  try {
    return new URL(url).hostname.toLowerCase();
  } catch {
    return null;
  }
}

/** Description text with each link's full URL in place of its shortened label, plus the links. */
function readDescription(textObject: unknown): { content: string | null; links: ExternalLink[] } {
  const links: ExternalLink[] = [];
  const pieces = runsOf(textObject).map((run) => {
    const url = linkOf(run).url;
    if (!url) return run.text ?? '';
    const host = hostOf(url);
    if (host && !LICENSE_HOSTS.test(host) && !links.some((link) => link.url === url)) links.push({ platform: platformOfHost(host) ?? 'website', url });
    return url;
  });
  return { content: text(pieces.join('')), links };
}

function biographyOf(content: string | null, links: ExternalLink[]): Biography | null {
  if (!content) return null;
  const wikipedia = links.find((link) => link.platform === 'wikipedia');
  // The description is Wikipedia's abstract when it links there; its language is the subdomain's.
  const language = wikipedia ? (/^([a-z]{2,3})\.wikipedia\.org$/.exec(hostOf(wikipedia.url) ?? '')?.[1] ?? null) : null;
  return {
    summary: text(content.split('\n')[0]),
    content,
    source: SOURCE,
    language,
    url: wikipedia?.url ?? null,
  };
}

export function parseArtistPage(body: unknown, channelId: string, report: DriftReporter): ArtistPage {
  const headerHolder = dig(body, 'header');
  const header =
    unwrap(headerHolder, 'musicImmersiveHeaderRenderer') ??
    unwrap(headerHolder, 'musicVisualHeaderRenderer') ??
    unwrap(headerHolder, 'musicHeaderRenderer');
  const sections = tabSections(body, 'singleColumnBrowseResultsRenderer');
  if (!header && sections.length === 0) throw unrecognised('artist');

  const name = runsText(dig(header, 'title'));
  if (!name) {
    report('artist.name');
    throw new SourceError(SOURCE, 'BAD_RESPONSE', `artist ${channelId}: page has no name`);
  }
  const photo = imageSetOf(thumbnailsOf(dig(header, 'thumbnail', 'musicThumbnailRenderer', 'thumbnail')));
  if (!photo) report('artist.photo');

  const [descriptionShelf] = renderersIn(sections, ['musicDescriptionShelfRenderer']);
  const description = readDescription(dig(header, 'description') ?? dig(descriptionShelf?.[1], 'description'));
  if (!description.content) report('artist.description');

  const self: ArtistCredit = { id: artistShell(channelId, name, null).id, name };
  const discography: Album[] = [];
  const similar: ArtistCredit[] = [];
  for (const [, carousel] of renderersIn(sections, ['musicCarouselShelfRenderer'])) {
    const heading = runsText(dig(carousel, 'header', 'musicCarouselShelfBasicHeaderRenderer', 'title'));
    // "Albums" holds cards with only a year; its heading is the type.
    const typeLabel = albumTypeOfLabel(heading) ? heading : null;
    for (const card of digArray(carousel, 'contents')) {
      const album = albumFromCard(card, report, { artists: [self], typeLabel });
      if (album) {
        if (!discography.some((known) => known.id === album.id)) discography.push(album);
        continue;
      }
      const credit = creditFromCard(card);
      if (credit && credit.id !== self.id && !similar.some((known) => known.id === credit.id)) similar.push(credit);
    }
  }

  const artist: Artist = {
    ...artistShell(channelId, name, photo),
    biography: biographyOf(description.content, description.links),
    links: description.links,
    similar,
    url: digString(body, 'microformat', 'microformatDataRenderer', 'urlCanonical') ?? artistShell(channelId, name, null).url,
  };
  return { artist, discography };
}

// ---------------------------------------------------------------------------------------------
// Charts (`browse FEmusic_charts`, then the chosen chart playlist `browse VL…`)

export interface ChartPlaylistRef {
  browseId: string;
  title: string;
}

export interface ChartsHome {
  /** Code of the country the page shows (`US`, `ZZ` for global), from the picker's state. */
  selectedCountry: string | null;
  playlists: ChartPlaylistRef[];
}

/** The country picker's options live in `frameworkUpdates` as boolean choices keyed by country code. */
function countryChoices(body: unknown): { code: string; selected: boolean }[] {
  return digArray(body, 'frameworkUpdates', 'entityBatchUpdate', 'mutations')
    .map((mutation) => dig(mutation, 'payload', 'musicFormBooleanChoice'))
    .filter(isRecord)
    .map((choice) => ({ code: digString(choice, 'opaqueToken') ?? '', selected: choice.selected === true }))
    .filter((choice) => /^[A-Z]{2}$/.test(choice.code));
}

export function parseChartsHome(body: unknown): ChartsHome {
  const sections = tabSections(body, 'singleColumnBrowseResultsRenderer');
  if (sections.length === 0) throw unrecognised('charts');
  const playlists: ChartPlaylistRef[] = [];
  for (const [, carousel] of renderersIn(sections, ['musicCarouselShelfRenderer'])) {
    for (const card of digArray(carousel, 'contents')) {
      const playlist = playlistFromCard(card);
      if (playlist && !playlists.some((known) => known.browseId === playlist.browseId)) playlists.push(playlist);
    }
  }
  const selected = countryChoices(body).find((choice) => choice.selected);
  return { selectedCountry: selected?.code ?? null, playlists };
}

/**
 * Which chart playlist stands for "the chart": the weekly top 100 when the page offers it
 * (its title says 100 in every language), else the last song-video chart, else the first.
 */
export function pickChartPlaylist(playlists: readonly ChartPlaylistRef[], genre: string | null): ChartPlaylistRef | null {
  if (genre) {
    const wanted = genre.trim().toLowerCase();
    return playlists.find((playlist) => playlist.title.toLowerCase().includes(wanted)) ?? null;
  }
  return (
    playlists.find((playlist) => /\b100\b/.test(playlist.title)) ??
    [...playlists].reverse().find((playlist) => playlist.browseId.startsWith('VLPL')) ??
    playlists[0] ??
    null
  );
}

export interface ChartPlaylist {
  title: string | null;
  entries: ChartEntry[];
}

export function parseChartPlaylist(body: unknown, report: DriftReporter): ChartPlaylist {
  const header = responsiveHeader(body);
  const [shelf] = renderersIn(secondarySections(body), ['musicPlaylistShelfRenderer', 'musicShelfRenderer']);
  if (!shelf) throw unrecognised('chart playlist');
  const title = runsText(dig(header, 'title'));
  if (!title) report('chart.title');
  const entries: ChartEntry[] = [];
  for (const item of digArray(shelf[1], 'contents')) {
    const row = trackFromRow(item, report);
    if (!row) continue;
    entries.push({ position: row.rank ?? entries.length + 1, track: row.track, popularity: null });
  }
  return { title, entries };
}
