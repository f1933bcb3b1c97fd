import { Arg, Ctx, ID, Query, Resolver } from 'type-graphql';
import type * as domain from '../../domain/types.js';
import { barcodeCode, globalId, isrcCode, linkUrl } from '../../catalog/input.js';
import { unknownSourceInId } from '../../catalog/catalog.js';
import { ApiError, badInput } from '../../errors/api.js';
import type { EntityRef, Provider } from '../../providers/types.js';
import { formatGlobalId } from '../../domain/ids.js';
import type { RequestContext } from '../context.js';
import { PRICE } from '../cost.js';
import { Album } from '../types/album.js';
import { Node, asNode, type NodeTypeName } from '../types/node.js';
import { Track } from '../types/track.js';

/** Ids a `nodes` call may ask at once. */
const MAX_NODES = 50;

const TYPE_OF: Record<EntityRef['entity'], NodeTypeName> = { track: 'Track', album: 'Album', artist: 'Artist' };

/**
 * Lookups that cross sources: any entity by global id (`node`, `nodes`), recordings by ISRC,
 * releases by barcode, and links of any supported source (`resolveUrl`).
 */
@Resolver()
export class IdentityResolver {
  @Query(() => Node, {
    nullable: true,
    description: 'Any track, album or artist by global id; null when its source has no such item (Relay).',
    complexity: PRICE.lookup,
  })
  node(@Arg('id', () => ID) id: string, @Ctx() context: RequestContext): Promise<object | null> {
    return nodeOf(id, context);
  }

  @Query(() => [Node], {
    nullable: 'items',
    description: `Several tracks, albums or artists by global id, in order; null for ids whose source has no such item (at most ${MAX_NODES}).`,
    complexity: PRICE.nodes,
  })
  nodes(@Arg('ids', () => [ID]) ids: string[], @Ctx() context: RequestContext): Promise<object | null>[] {
    if (ids.length > MAX_NODES) throw badInput({ en: `At most ${MAX_NODES} ids per call.`, es: `Como mucho ${MAX_NODES} ids por llamada.` }, 'ids');
    // One promise per item: an id whose source fails is a null item with its own error, not a failed list.
    return ids.map((id) => nodeOf(id, context));
  }

  @Query(() => [Track], {
    description: 'Recordings with this ISRC (hyphens and case do not matter), from the first source of the ISRC chain that knows it.',
    complexity: PRICE.byIdentifier,
  })
  async tracksByIsrc(
    @Arg('isrc', () => String) isrc: string,
    @Arg('source', () => String, { nullable: true, description: 'Ask only this source (musicbrainz, deezer).' }) source: string | null,
    @Ctx() { catalog }: RequestContext,
  ): Promise<domain.Track[]> {
    return (await catalog.tracksByIsrc(isrcCode(isrc), { source })).tracks;
  }

  @Query(() => [Album], {
    description: 'Releases with this barcode (UPC/EAN), from the first source of the barcode chain that knows it.',
    complexity: PRICE.byIdentifier,
  })
  async albumsByBarcode(
    @Arg('barcode', () => String) barcode: string,
    @Arg('source', () => String, { nullable: true, description: 'Ask only this source (musicbrainz, deezer).' }) source: string | null,
    @Ctx() { catalog }: RequestContext,
  ): Promise<domain.Album[]> {
    return (await catalog.albumsByBarcode(barcodeCode(barcode), { source })).albums;
  }

  @Query(() => Node, {
    nullable: true,
    description:
      'The track, album or artist a link of a supported source points to (YouTube / YouTube Music, SoundCloud, Deezer, Bandcamp, Jamendo, MusicBrainz, Apple Music, Last.fm, Internet Archive…). The link is read, never fetched; ask `availability` on a track for the same recording elsewhere.',
    complexity: PRICE.lookup,
  })
  resolveUrl(@Arg('url', () => String) url: string, @Ctx() context: RequestContext): Promise<object | null> {
    const link = linkUrl(url);
    const found = context.services.providers.all().map((provider) => ({ provider, ref: parseWith(provider, link) })).find((entry) => entry.ref !== null);
    if (!found?.ref) {
      throw badInput(
        {
          en: `${link.hostname} is not a link of a supported source, or not to a track, album or artist.`,
          es: `${link.hostname} no es un enlace de una fuente conocida, o no lleva a una canción, un álbum o un artista.`,
        },
        'url',
      );
    }
    return nodeOf(formatGlobalId(found.provider.id, found.ref.ref.kind, found.ref.ref.id), context);
  }
}

function parseWith(provider: Provider, url: URL): EntityRef | null {
  if (!provider.parseUrl) return null;
  try {
    return provider.parseUrl(url);
  } catch {
    return null;
  }
}

/** The entity behind a global id, typed for the Node interface; null when its source has none. */
async function nodeOf(id: string, { loaders, services }: RequestContext): Promise<object | null> {
  const parsed = globalId(id);
  const provider = services.providers.get(parsed.source);
  if (!provider) throw badInput(unknownSourceInId(parsed.source, id), 'id');
  const entity = (['track', 'album', 'artist'] as const).find((kind) => provider.idKinds?.[kind]?.includes(parsed.kind));
  if (!entity) {
    throw badInput({ en: `"${parsed.kind}" is not an id kind ${provider.name} can look up.`, es: `${provider.name} no puede buscar ids del tipo «${parsed.kind}».` }, 'id');
  }
  try {
    return asNode(await loaders[entity].load(id), TYPE_OF[entity]);
  } catch (error) {
    if (error instanceof ApiError && error.code === 'NOT_FOUND') return null;
    throw error;
  }
}
