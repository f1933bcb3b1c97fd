import { getArgumentValues, isObjectType, Kind, type GraphQLResolveInfo } from 'graphql';
import { Arg, Args, ArgsType, Ctx, Field, ID, Info, Int, Query, Resolver } from 'type-graphql';
import type * as domain from '../../domain/types.js';
import { badInput } from '../../errors/api.js';
import { countryCode, durationSeconds, globalId, searchText } from '../../catalog/input.js';
import type { RequestContext } from '../context.js';
import { Album } from '../types/album.js';
import { Artist } from '../types/artist.js';
import { Chart } from '../types/chart.js';
import { AlbumConnection, ArtistConnection, TrackConnection } from '../types/connection.js';
import { Lyrics } from '../types/lyrics.js';
import { Track } from '../types/track.js';
import { PRICE } from '../cost.js';
import { chartTitle } from '../labels/chartTitle.js';

const MAX_CHART_ENTRIES = 100;

/** What every search query takes: the text, one page of the merged answer, and optionally one source. */
@ArgsType()
export class SearchArgs {
  @Field(() => String) query!: string;
  @Field(() => Int, { nullable: true, defaultValue: 10, description: '1 to 50.' }) first!: number;
  @Field(() => String, { nullable: true }) after!: string | null;
  @Field(() => String, { nullable: true, description: 'Ask only this source (e.g. jamendo).' }) source!: string | null;
}

/**
 * The arguments of `discography` when it is selected right under this field (not through a
 * fragment, not under @skip/@include), as its resolver will receive them; null otherwise.
 */
function discographyArgs(info: GraphQLResolveInfo): { first?: number | null; after?: string | null } | null {
  const artistType = info.schema.getType('Artist');
  const field = isObjectType(artistType) ? artistType.getFields().discography : undefined;
  if (!field) return null;
  for (const node of info.fieldNodes) {
    for (const selection of node.selectionSet?.selections ?? []) {
      if (selection.kind !== Kind.FIELD || selection.name.value !== 'discography' || selection.directives?.length) continue;
      try {
        return getArgumentValues(field, selection, info.variableValues) as { first?: number | null; after?: string | null };
      } catch {
        return null;
      }
    }
  }
  return null;
}

@Resolver()
export class CatalogQueryResolver {
  @Query(() => TrackConnection, { description: 'Search tracks across the configured sources, in order, falling back when one fails or finds nothing.', complexity: PRICE.searchTracks })
  searchTracks(@Args(() => SearchArgs) args: SearchArgs, @Ctx() { catalog }: RequestContext) {
    return catalog.search('searchTracks', args);
  }

  @Query(() => AlbumConnection, { description: 'Search albums across the configured sources.', complexity: PRICE.searchAlbums })
  searchAlbums(@Args(() => SearchArgs) args: SearchArgs, @Ctx() { catalog }: RequestContext) {
    return catalog.search('searchAlbums', args);
  }

  @Query(() => ArtistConnection, { description: 'Search artists across the configured sources.', complexity: PRICE.searchArtists })
  searchArtists(@Args(() => SearchArgs) args: SearchArgs, @Ctx() { catalog }: RequestContext) {
    return catalog.search('searchArtists', args);
  }

  @Query(() => Track, { description: 'A track by global id, asked of its own source.', complexity: PRICE.lookup })
  track(@Arg('id', () => ID) id: string, @Ctx() { loaders }: RequestContext): Promise<domain.Track> {
    globalId(id);
    return loaders.track.load(id);
  }

  @Query(() => Album, { description: 'An album by global id, with its track list.', complexity: PRICE.lookup })
  album(@Arg('id', () => ID) id: string, @Ctx() { loaders }: RequestContext): Promise<domain.Album> {
    globalId(id);
    return loaders.album.load(id);
  }

  @Query(() => Artist, { description: 'An artist by global id.', complexity: PRICE.lookup })
  artist(@Arg('id', () => ID) id: string, @Ctx() { loaders, catalog }: RequestContext, @Info() info: GraphQLResolveInfo): Promise<domain.Artist> {
    globalId(id);
    const discography = discographyArgs(info);
    if (discography) catalog.prefetchArtistAlbums(id, discography);
    return loaders.artist.load(id);
  }

  @Query(() => Chart, {
    description: 'Top tracks now: for a country (ISO 3166-1 alpha-2) or worldwide when country is omitted.',
    complexity: PRICE.chart,
  })
  async chart(
    @Arg('country', () => String, { nullable: true, description: 'ES, MX, US, … Omit for the global chart.' }) country: string | null,
    @Arg('genre', () => String, { nullable: true, description: 'Genre, where the source charts by genre.' }) genre: string | null,
    @Arg('first', () => Int, { nullable: true, defaultValue: 25, description: '1 to 100.' }) first: number,
    @Arg('source', () => String, { nullable: true }) source: string | null,
    @Ctx() { catalog, language }: RequestContext,
  ): Promise<domain.Chart> {
    if (!Number.isInteger(first) || first < 1 || first > MAX_CHART_ENTRIES) {
      throw badInput({ en: `"first" must be between 1 and ${MAX_CHART_ENTRIES} (got ${first}).`, es: `«first» debe estar entre 1 y ${MAX_CHART_ENTRIES} (se recibió ${first}).` }, 'first');
    }
    const cleanGenre = genre == null ? null : searchText(genre, 64, 'genre');
    const chart = await catalog.chart({ country: countryCode(country), genre: cleanGenre, first, source });
    const title = chartTitle({ scope: chart.scope, sourceName: catalog.sourceName(chart.source), genre: cleanGenre, sourceTitle: chart.title }, language);
    return { ...chart, title };
  }

  @Query(() => Lyrics, {
    description: 'Lyrics of a song by artist and title; a duration (seconds) makes the match stricter.',
    complexity: PRICE.lyrics,
  })
  lyrics(
    @Arg('artist', () => String) artist: string,
    @Arg('title', () => String) title: string,
    @Arg('album', () => String, { nullable: true }) album: string | null,
    @Arg('duration', () => Int, { nullable: true, description: 'Track length in seconds.' }) duration: number | null,
    @Arg('source', () => String, { nullable: true }) source: string | null,
    @Ctx() { catalog, services }: RequestContext,
  ): Promise<domain.Lyrics | null> {
    const max = services.config.maxQueryLength;
    return catalog.lyrics(
      {
        artist: searchText(artist, max, 'artist'),
        title: searchText(title, max, 'title'),
        album: album == null ? null : searchText(album, max, 'album'),
        durationSec: durationSeconds(duration),
        isrc: null,
      },
      { source, required: true },
    );
  }
}
