import { Arg, Ctx, FieldResolver, Int, Resolver, Root } from 'type-graphql';
import type * as domain from '../../domain/types.js';
import { languages } from '../../catalog/input.js';
import type { RequestContext } from '../context.js';
import { Artist, Biography } from '../types/artist.js';
import { ExternalLink, ImageSet } from '../types/common.js';
import { AlbumConnection } from '../types/connection.js';
import { ArtistCredit } from '../types/track.js';
import { artistQuery } from './shared.js';
import { PRICE } from '../cost.js';

/** Similar artists asked of a source's dedicated list. */
const SIMILAR_ARTISTS = 20;

/** Platforms shown as "social links": profiles a fan would follow, not reference databases. */
const SOCIAL_PLATFORMS = new Set([
  'official',
  'instagram',
  'twitter',
  'facebook',
  'tiktok',
  'youtube',
  'youtubemusic',
  'soundcloud',
  'bandcamp',
  'spotify',
  'deezer',
  'applemusic',
  'tidal',
  'audiomack',
  'myspace',
  'vk',
  'weibo',
  'threads',
  'bluesky',
  'mastodon',
  'patreon',
  'twitch',
]);

@Resolver(() => Artist)
export class ArtistFieldsResolver {
  @FieldResolver(() => ImageSet, { nullable: true, description: 'Photo: from the artist-image chain (Deezer first), else the source\'s own image.', complexity: PRICE.artistPhoto })
  async photo(@Root() artist: domain.Artist, @Ctx() { loaders }: RequestContext): Promise<domain.ImageSet | null> {
    return (await loaders.artistImage.load(artistQuery(artist))) ?? artist.photo;
  }

  @FieldResolver(() => Biography, { nullable: true, description: 'Biography from the biography chain (Last.fm, Wikipedia), else the source\'s own.', complexity: PRICE.artistBiography })
  async biography(
    @Root() artist: domain.Artist,
    @Arg('lang', () => String, { nullable: true, description: 'Preferred language (es, en, …); default es, then en.' }) lang: string | null,
    @Ctx() { loaders, catalog, services }: RequestContext,
  ): Promise<domain.Biography | null> {
    const query = artistQuery(artist);
    // A language other than the request's default needs its own chain run, outside the loader's cache.
    const found = lang
      ? await catalog.withLanguages(languages(lang, services.config.defaultLanguages)).artistBiography(query)
      : await loaders.biography.load(query);
    return found ?? artist.biography;
  }

  @FieldResolver(() => [ExternalLink], { description: 'Official site and social profiles (a subset of links).', complexity: PRICE.free })
  socialLinks(@Root() artist: domain.Artist): domain.ExternalLink[] {
    return artist.links.filter((link) => SOCIAL_PLATFORMS.has(link.platform));
  }

  @FieldResolver(() => AlbumConnection, { nullable: true, description: "The artist's albums, singles and EPs, at the artist's source.", complexity: PRICE.discography })
  async discography(
    @Root() artist: domain.Artist,
    @Arg('first', () => Int, { nullable: true, defaultValue: 25 }) first: number,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Ctx() { catalog }: RequestContext,
  ) {
    return catalog.artistAlbums(artist.id, { first, after });
  }

  @FieldResolver(() => [ArtistCredit], {
    description: "Similar artists: from the source's own related-artists list where it has one (Last.fm artist.getSimilar, Deezer related), else what its artist page lists.",
    complexity: PRICE.similarArtists,
  })
  async similar(@Root() artist: domain.Artist, @Ctx() { catalog }: RequestContext): Promise<domain.ArtistCredit[]> {
    if (!catalog.hasList(artist.id, 'similarArtists')) return artist.similar;
    const related = await catalog.similarArtists(artist.id, { first: SIMILAR_ARTISTS });
    return related.nodes.map((other) => ({ id: other.id, name: other.name }));
  }
}
