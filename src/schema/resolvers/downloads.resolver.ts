import { Arg, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { parseGlobalId } from '../../domain/ids.js';
import { notATrackId } from '../../downloads/service.js';
import type * as downloads from '../../downloads/types.js';
import { ApiError, badInput } from '../../errors/api.js';
import type { RequestContext } from '../context.js';
import { PRICE } from '../cost.js';
import { DownloadJob, DownloadOption } from '../types/download.js';
import { borrowedDownload, requireService, toView } from './downloadViews.js';

/**
 * `prepareDownload(trackId)`, `download(id)` and a job's files. The options themselves
 * (`Track.downloads`, `Album.downloads`) never contact a source: they come from the track's own
 * permission and the download index (see downloadViews.ts).
 */
@Resolver()
export class DownloadsResolver {
  @Mutation(() => DownloadJob, {
    description:
      'Starts preparing the WAV and MP3 of a track the source licenses for download, or joins the job already running for it. A track already on the server returns a finished job at once. Fails with DOWNLOAD_UNAVAILABLE (extensions.reason) when the source does not allow it.',
    complexity: PRICE.prepareDownload,
  })
  async prepareDownload(@Arg('trackId', () => ID) trackId: string, @Ctx() context: RequestContext): Promise<downloads.DownloadJob> {
    const service = requireService(context);
    const parsed = parseGlobalId(trackId);
    if (!parsed) throw badInput(notATrackId(trackId), 'trackId');
    if (!context.catalog.mayUse(parsed.source)) {
      throw new ApiError('FORBIDDEN', { en: `This key may not use the source "${parsed.source}".`, es: `Esta clave no puede usar la fuente «${parsed.source}».` });
    }
    return service.prepare(trackId, (id) => context.loaders.track.load(id), async (track) => (await borrowedDownload(track, context))?.track ?? null);
  }

  @Query(() => DownloadJob, { nullable: true, description: 'A download job by id; null when unknown or expired (finished jobs are kept for hours).', complexity: PRICE.free })
  async download(@Arg('id', () => ID) id: string, @Ctx() context: RequestContext): Promise<downloads.DownloadJob | null> {
    const job = await requireService(context).job(id);
    if (!job) return null;
    const source = parseGlobalId(job.trackId)?.source;
    return source && context.catalog.mayUse(source) ? job : null;
  }
}

@Resolver(() => DownloadJob)
export class DownloadJobResolver {
  @FieldResolver(() => [DownloadOption], { description: 'The WAV and MP3 with their signed URLs once the job is DONE; empty before.', complexity: PRICE.free })
  async downloads(@Root() job: downloads.DownloadJob, @Ctx() context: RequestContext): Promise<DownloadOption[]> {
    if (job.state !== 'DONE') return [];
    const options = await requireService(context).optionsForCached(job.trackId);
    return (options ?? []).map((option) => toView(option, context.language, { id: job.trackId, source: parseGlobalId(job.trackId)?.source ?? null }));
  }
}
