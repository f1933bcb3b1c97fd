import type { ImageSet } from '../../domain/types.js';
import { isSourceError } from '../../errors.js';
import { normaliseMbid } from '../musicbrainz/query.js';
import type { CallContext, CoverArtQuery, Provider, ProviderFactory } from '../types.js';
import { SOURCE, coverUrl, frontImageSet, listingHasFront, type CoverOwner } from './parse.js';

export const createCoverArtArchiveProvider: ProviderFactory = (deps) => {
  const client = deps.createClient({ source: SOURCE });

  /**
   * Whether the archive holds art for this release (group), without downloading anything: the
   * entry answers 307 to its listing on archive.org when it exists and 404 when it does not.
   */
  async function probe(owner: CoverOwner, mbid: string, ctx: CallContext): Promise<ImageSet | null> {
    let response;
    try {
      response = await client.request<string>(coverUrl(owner, mbid), {
        ctx,
        cache: 'entity',
        followRedirect: false,
        responseType: 'text',
      });
    } catch (error) {
      if (isSourceError(error) && error.kind === 'NOT_FOUND') return null;
      throw error;
    }
    if (response.status >= 300 && response.status < 400) return frontImageSet(owner, mbid);
    if (response.status === 200) return listingHasFront(response.body) ? frontImageSet(owner, mbid) : null;
    return null;
  }

  const provider: Provider = {
    id: SOURCE,
    name: 'Cover Art Archive',
    description: 'Portadas de discos (las de MusicBrainz). Gratuita y sin clave.',
    homepage: 'https://coverartarchive.org',
    credentials: [],
    configured: true,

    /**
     * The release's own front first, then its release group's. MusicBrainz albums already leave
     * `musicbrainzReleaseId` out of their refs when the release is known to have no front cover.
     */
    async coverArt(input: CoverArtQuery, ctx): Promise<ImageSet | null> {
      const releaseId = normaliseMbid(input.musicbrainzReleaseId);
      const groupId = normaliseMbid(input.musicbrainzReleaseGroupId);
      if (releaseId) {
        const cover = await probe('release', releaseId, ctx);
        if (cover) return cover;
      }
      return groupId ? probe('release-group', groupId, ctx) : null;
    },
  };
  return provider;
};
