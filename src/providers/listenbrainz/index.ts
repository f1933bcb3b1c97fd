import type { Artist } from '../../domain/types.js';
import { failuresOf } from '../shared/failures.js';
import { normaliseMbid } from '../shared/mbid.js';
import { readJson } from '../shared/read.js';
import type { CallContext, NativeRef } from '../types.js';
import { defineProvider } from '../define.js';
import { SOURCE, expectArtistList, parseArtistMetadata, type LbArtistMetadata } from './parse.js';

const API = 'https://api.listenbrainz.org/1';
/** The metadata endpoint takes many MBIDs at once; this keeps the URL well under server limits. */
const MAX_BATCH = 25;

export const createListenBrainzProvider = defineProvider(
  {
    id: SOURCE,
    name: 'ListenBrainz',
    description: 'Datos de artistas (tipo, país, web oficial y redes sociales) del proyecto abierto ListenBrainz. Gratuita y sin clave.',
    hosts: ['api.listenbrainz.org'],
    idKinds: { artist: ['artist'] },
    client: { rateLimit: { requests: 5, intervalMs: 1000 } },
  },
  ({ client }) => {
    async function metadata(mbids: string[], ctx: CallContext): Promise<Map<string, Artist>> {
      const found = new Map<string, Artist>();
      for (let start = 0; start < mbids.length; start += MAX_BATCH) {
        const batch = mbids.slice(start, start + MAX_BATCH);
        const artists = await readJson(client, `${API}/metadata/artist/`, { ctx, cache: 'entity', searchParams: { artist_mbids: batch.join(',') } }, (body) => {
          expectArtistList(body);
          return (body as LbArtistMetadata[]).map(parseArtistMetadata);
        });
        for (const artist of artists) {
          if (artist) found.set(artist.refs!.musicbrainzArtistId!, artist);
        }
      }
      return found;
    }

    return {
      async artist(ref, ctx): Promise<Artist> {
        const mbid = mbidOf(ref);
        const artist = (await metadata([mbid], ctx)).get(mbid);
        if (!artist) throw notFound(`ListenBrainz knows no artist ${mbid}`);
        return artist;
      },

      async artistsByIds(refs, ctx): Promise<(Artist | null)[]> {
        const wanted = refs.map((ref) => (ref.kind === 'artist' ? normaliseMbid(ref.id) : null));
        const found = await metadata([...new Set(wanted.filter((id): id is string => id !== null))], ctx);
        return wanted.map((id) => (id ? (found.get(id) ?? null) : null));
      },
    };
  },
);

const { notFound } = failuresOf(SOURCE);

function mbidOf(ref: NativeRef): string {
  const mbid = ref.kind === 'artist' ? normaliseMbid(ref.id) : null;
  if (!mbid) throw notFound(`not a ListenBrainz artist id: ${ref.kind}:${ref.id}`);
  return mbid;
}
