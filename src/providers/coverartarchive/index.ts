import type { ImageSet } from '../../domain/types.js';
import { isSourceError } from '../../errors/source.js';
import { normaliseMbid } from '../shared/mbid.js';
import type {CallContext, CoverArtQuery } from '../types.js';
import { defineProvider } from '../define.js';
import { SOURCE, coverUrl, frontImageSet, listingHasFront, type CoverOwner } from './parse.js';

export const createCoverArtArchiveProvider = defineProvider(
  {
    id: SOURCE,
    name: 'Cover Art Archive',
    description: 'Portadas de discos (las de MusicBrainz). Gratuita y sin clave.',
    hosts: ['coverartarchive.org', 'archive.org', '*.archive.org'],
  },
  ({ client }) => {
    /**
     * One request answers either entry: a 307 means a front exists (its stable thumbnail URLs
     * are handed out, never resolved), a 404 means none. The query says which entry to ask
     * (`albumCoverQuery`/`trackCoverQuery` in the schema resolvers):
     *
     * - only the release group — "the cover of this album". The archive resolves the group
     *   server-side to the front of its chosen release, or of a release that has one, so a 404
     *   there means no edition has a front and nothing else is worth asking;
     * - a release (with its group): that edition's own front, asked when the caller shows that
     *   very release. Only if it has none is the group asked, a second request — MusicBrainz
     *   albums leave the release out of their refs when its lookup already says "no front",
     *   so that second request is rare.
     *
     * Identical requests of one page share one upstream call (the client's in-flight map) and
     * answers, 404s included, are cached per entry: one call per distinct entry asked.
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

    return {

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
  },
);
