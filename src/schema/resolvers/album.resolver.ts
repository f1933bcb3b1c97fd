import { Ctx, FieldResolver, Int, Resolver, Root } from 'type-graphql';
import type * as domain from '../../domain/types.js';
import type { RequestContext } from '../context.js';
import { Album } from '../types/album.js';
import { ImageSet } from '../types/common.js';
import { Track } from '../types/track.js';
import { albumCoverQuery, creditLine, yearOf } from './shared.js';
import { PRICE } from '../cost.js';
import { DownloadOption } from '../types/download.js';
import { notEnabledAlbum, toView } from './downloadViews.js';

@Resolver(() => Album)
export class AlbumFieldsResolver {
  @FieldResolver(() => String, { description: 'The credited artists as one line.', complexity: PRICE.free })
  artist(@Root() album: domain.Album): string {
    return creditLine(album.artists);
  }

  @FieldResolver(() => Int, { nullable: true, complexity: PRICE.free })
  year(@Root() album: domain.Album): number | null {
    return yearOf(album.releaseDate);
  }

  @FieldResolver(() => [String], { description: 'Formats of this edition (CD, Digital Media, 12" Vinyl…), where the source says; tells editions apart.', complexity: PRICE.free })
  formats(@Root() album: domain.Album): string[] {
    return album.formats ?? [];
  }

  @FieldResolver(() => ImageSet, { nullable: true, complexity: PRICE.cover })
  async cover(@Root() album: domain.Album, @Ctx() { loaders }: RequestContext): Promise<domain.ImageSet | null> {
    if (album.cover) return album.cover;
    const query = albumCoverQuery(album);
    return query ? loaders.cover.load(query) : null;
  }

  @FieldResolver(() => Int, { nullable: true, description: 'Number of tracks.', complexity: PRICE.albumTrackCount })
  async trackCount(@Root() album: domain.Album, @Ctx() context: RequestContext): Promise<number | null> {
    if (album.trackCount !== null) return album.trackCount;
    return (await fullTracks(album, context)).length;
  }

  @FieldResolver(() => [Track], { description: 'Track list in order, with durations.', complexity: PRICE.albumTracks })
  tracks(@Root() album: domain.Album, @Ctx() context: RequestContext): Promise<domain.Track[]> {
    return fullTracks(album, context);
  }

  @FieldResolver(() => [DownloadOption], {
    description: 'WAV and MP3 for the whole album: available when every track is, with the total size once every track is on the server. URLs are per track.',
    complexity: PRICE.albumDownloads,
  })
  async downloads(@Root() album: domain.Album, @Ctx() context: RequestContext): Promise<DownloadOption[]> {
    const tracks = album.tracks ?? (await context.loaders.album.load(album.id)).tracks ?? [];
    const service = context.services.downloads;
    if (!service) return notEnabledAlbum(tracks, context.language);
    return (await service.optionsForAlbum({ ...album, tracks })).map((option) => toView(option, context.language, null));
  }
}

/** Search results often omit the track list; the album is then looked up once (DataLoader). */
async function fullTracks(album: domain.Album, { loaders }: RequestContext): Promise<domain.Track[]> {
  if (album.tracks) return album.tracks;
  const full = await loaders.album.load(album.id);
  return full.tracks ?? [];
}
