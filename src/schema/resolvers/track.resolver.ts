import { Arg, Ctx, FieldResolver, Int, Resolver, Root } from 'type-graphql';
import type * as domain from '../../domain/types.js';
import type { RequestContext } from '../context.js';
import { Album } from '../types/album.js';
import { Artist } from '../types/artist.js';
import { ImageSet } from '../types/common.js';
import { Lyrics } from '../types/lyrics.js';
import { ArtistCredit, Track } from '../types/track.js';
import { TrackConnection } from '../types/connection.js';
import { creditLine, trackCoverQuery } from './shared.js';
import { PRICE } from '../cost.js';

@Resolver(() => Track)
export class TrackFieldsResolver {
  @FieldResolver(() => Int, { nullable: true, description: 'Length in seconds.', complexity: PRICE.free })
  duration(@Root() track: domain.Track): number | null {
    return track.durationSec;
  }

  @FieldResolver(() => String, { description: 'The credited artists as one line ("A feat. B").', complexity: PRICE.free })
  artist(@Root() track: domain.Track): string {
    return creditLine(track.artists);
  }

  @FieldResolver(() => String, { nullable: true, description: 'Title of the album the track appears on.', complexity: PRICE.free })
  albumTitle(@Root() track: domain.Track): string | null {
    return track.album?.title ?? null;
  }

  @FieldResolver(() => Album, { nullable: true, description: 'The album, looked up at the same source.', complexity: PRICE.lookup })
  async album(@Root() track: domain.Track, @Ctx() { loaders }: RequestContext): Promise<domain.Album | null> {
    return track.album?.id ? loaders.album.load(track.album.id) : null;
  }

  @FieldResolver(() => ImageSet, { nullable: true, description: "Cover art: the source's own, else Cover Art Archive for MusicBrainz releases.", complexity: PRICE.cover })
  async cover(@Root() track: domain.Track, @Ctx() { loaders }: RequestContext): Promise<domain.ImageSet | null> {
    if (track.cover) return track.cover;
    const query = trackCoverQuery(track);
    return query ? loaders.cover.load(query) : null;
  }

  @FieldResolver(() => TrackConnection, {
    nullable: true,
    description: "Tracks the track's own source recommends with it (empty where the source has none).",
    complexity: PRICE.relatedTracks,
  })
  async related(
    @Root() track: domain.Track,
    @Arg('first', () => Int, { nullable: true, defaultValue: 10 }) first: number,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Ctx() { catalog }: RequestContext,
  ) {
    return catalog.relatedTracks(track.id, { first, after });
  }

  @FieldResolver(() => Lyrics, { nullable: true, description: 'Lyrics from the lyrics chain, matched by artist, title and duration.', complexity: PRICE.lyrics })
  lyrics(@Root() track: domain.Track, @Ctx() { catalog }: RequestContext): Promise<domain.Lyrics | null> {
    const artist = track.artists[0]?.name;
    if (!artist) return Promise.resolve(null);
    return catalog.lyrics(
      { artist, title: track.title, album: track.album?.title ?? null, durationSec: track.durationSec, isrc: track.isrc },
      { required: false },
    );
  }
}

@Resolver(() => ArtistCredit)
export class ArtistCreditFieldsResolver {
  @FieldResolver(() => Artist, { nullable: true, description: 'The full artist, looked up at the same source.', complexity: PRICE.creditedArtist })
  async artist(@Root() credit: domain.ArtistCredit, @Ctx() { loaders }: RequestContext): Promise<domain.Artist | null> {
    return credit.id ? loaders.artist.load(credit.id) : null;
  }
}
