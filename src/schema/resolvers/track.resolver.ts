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
import { TrackMatch } from '../types/match.js';
import { DownloadOption } from '../types/download.js';
import { borrowedDownload, notEnabled, toView } from './downloadViews.js';
import type { TrackMatch as Match } from '../../catalog/availability.js';

@Resolver(() => Track)
export class TrackFieldsResolver {
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

  @FieldResolver(() => [String], { description: 'Every ISRC the source knows for this recording (`isrc` is the first).', complexity: PRICE.free })
  isrcs(@Root() track: domain.Track): string[] {
    return track.isrcs ?? (track.isrc ? [track.isrc] : []);
  }

  @FieldResolver(() => String, {
    nullable: true,
    description:
      "A page where a person can listen: the source's own, else that of the same recording at another source matched with confidence ≥ 0.9 (`playbackSource` says which; `extensions.sources` says why).",
    complexity: PRICE.borrowed,
  })
  async playbackUrl(@Root() track: domain.Track, @Ctx() context: RequestContext): Promise<string | null> {
    if (track.playbackUrl) return track.playbackUrl;
    return (await borrowedPlayback(track, context))?.track.playbackUrl ?? null;
  }

  @FieldResolver(() => String, { nullable: true, description: 'The source whose page `playbackUrl` is.', complexity: PRICE.borrowed })
  async playbackSource(@Root() track: domain.Track, @Ctx() context: RequestContext): Promise<string | null> {
    if (track.playbackUrl) return track.source;
    return (await borrowedPlayback(track, context))?.source ?? null;
  }

  @FieldResolver(() => [TrackMatch], {
    description:
      'The same recording at other sources, best first: found by ISRC, by a link the source publishes, or by searching title and artist under the version-aware matching rules.',
    complexity: PRICE.availability,
  })
  async availability(@Root() track: domain.Track, @Ctx() { catalog }: RequestContext): Promise<TrackMatch[]> {
    const matches = await catalog.availability.all(track);
    return matches.filter((match) => catalog.mayUse(match.source)).map((match) => ({ ...match, sourceName: catalog.sourceName(match.source) }) as TrackMatch);
  }

  @FieldResolver(() => [DownloadOption], {
    description:
      "WAV (best quality) and MP3 downloads, or why they are not available. When the track's own source does not license it, the same recording at a source that does (matched by ISRC, or within 2 s at confidence ≥ 0.9) is offered; `source` and `trackId` say which.",
    complexity: PRICE.borrowed,
  })
  async downloads(@Root() track: domain.Track, @Ctx() context: RequestContext): Promise<DownloadOption[]> {
    const options = context.loaders.downloadOptions;
    if (!options) return notEnabled(track.download, context.language);
    const own = await options.load(track);
    if (track.download.allowed) return own.map((option) => toView(option, context.language, track));
    // The track's own source does not license it: the same recording may be free elsewhere.
    const match = await borrowedDownload(track, context);
    if (!match) return own.map((option) => toView(option, context.language, track));
    return (await options.load(match.track)).map((option) => toView(option, context.language, match.track));
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

/** The confident match a track without its own play link borrows one from (reported once). */
async function borrowedPlayback(track: domain.Track, { catalog }: RequestContext): Promise<Match | null> {
  const match = await catalog.availability.playback(track);
  if (match) catalog.reportBorrowing('Track.playbackUrl', track, match);
  return match;
}
