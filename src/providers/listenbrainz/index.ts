import type { Artist } from '../../domain/types.js';
import { SourceError } from '../../errors/source.js';
import type {CallContext, NativeRef } from '../types.js';
import { defineProvider } from '../define.js';
import { MBID, SOURCE, expectArtistList, parseArtistMetadata, type LbArtistMetadata } from './parse.js';

const API = 'https://api.listenbrainz.org/1';
/** The metadata endpoint takes many MBIDs at once; this keeps the URL well under server limits. */
const MAX_BATCH = 25;

export const createListenBrainzProvider = defineProvider(
  {
    id: SOURCE,
    name: 'ListenBrainz',
    description: 'Datos de artistas (tipo, país, web oficial y redes sociales) del proyecto abierto ListenBrainz. Gratuita y sin clave.',
    homepage: 'https://listenbrainz.readthedocs.io/en/latest/users/api/metadata.html',
    hosts: ['api.listenbrainz.org'],
    idKinds: { artist: ['artist'] },
    client: { rateLimit: { requests: 5, intervalMs: 1000 } },
  },
  ({ client }) => {
    async function metadata(mbids: string[], ctx: CallContext): Promise<Map<string, Artist>> {
      const found = new Map<string, Artist>();
      for (let start = 0; start < mbids.length; start += MAX_BATCH) {
        const batch = mbids.slice(start, start + MAX_BATCH);
        const rows = await client.json<LbArtistMetadata[]>(`${API}/metadata/artist/`, {
          ctx,
          cache: 'entity',
          searchParams: { artist_mbids: batch.join(',') },
          validate: expectArtistList,
        });
        for (const row of rows) {
          const artist = parseArtistMetadata(row);
          if (artist) found.set(artist.refs!.musicbrainzArtistId!, artist);
        }
      }
      return found;
    }

    return {

      async artist(ref, ctx): Promise<Artist> {
        const mbid = mbidOf(ref);
        const artist = (await metadata([mbid], ctx)).get(mbid);
        if (!artist) throw new SourceError(SOURCE, 'NOT_FOUND', `ListenBrainz knows no artist ${mbid}`);
        return artist;
      },

      async artistsByIds(refs, ctx): Promise<(Artist | null)[]> {
        const wanted = refs.map((ref) => (ref.kind === 'artist' && MBID.test(ref.id) ? ref.id.toLowerCase() : null));
        const found = await metadata([...new Set(wanted.filter((id): id is string => id !== null))], ctx);
        return wanted.map((id) => (id ? (found.get(id) ?? null) : null));
      },
    };
  },
);

function mbidOf(ref: NativeRef): string {
  if (ref.kind !== 'artist' || !MBID.test(ref.id)) throw new SourceError(SOURCE, 'NOT_FOUND', `not a ListenBrainz artist id: ${ref.kind}:${ref.id}`);
  return ref.id.toLowerCase();
}
