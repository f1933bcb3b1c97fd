import { platformOfHost } from '../shared/links.js';
import type { Artist, ExternalLink } from '../../domain/types.js';
import { formatGlobalId } from '../../domain/ids.js';
import { SourceError } from '../../errors/source.js';
import { countryCodeForName } from '../shared/countries.js';
import { isRecord } from '../shared/drift.js';
import { normaliseMbid } from '../shared/mbid.js';
import { text } from '../shared/parse.js';

export const SOURCE = 'listenbrainz';

/** One entry of `GET /1/metadata/artist/?artist_mbids=…`: MusicBrainz data with url relationships flattened by type. */
export interface LbArtistMetadata {
  artist_mbid?: string;
  mbid?: string;
  name?: string;
  type?: string;
  area?: string;
  begin_year?: number;
  rels?: Record<string, string>;
}

export function expectArtistList(body: unknown): void {
  if (!Array.isArray(body)) {
    const message = text((body as { error?: unknown } | null)?.error);
    throw new SourceError(SOURCE, 'BAD_RESPONSE', message ? `ListenBrainz: ${message}` : 'ListenBrainz artist metadata is not a list');
  }
}


/** ListenBrainz keys links by MusicBrainz relationship type; the platform is read from the host, the homepage from its type. */
function linksFromRels(rels: unknown): ExternalLink[] {
  const links: ExternalLink[] = [];
  if (!isRecord(rels)) return links;
  for (const [type, value] of Object.entries(rels)) {
    const url = text(value);
    if (!url) continue;
    let host: string;
    try {
      host = new URL(url).hostname.toLowerCase();
    } catch {
      continue;
    }
    const platform =
      type === 'official homepage' ? 'official' : (platformOfHost(host) ?? host.replace(/^www\./, ''));
    links.push({ platform, url });
  }
  return links;
}

export function parseArtistMetadata(raw: LbArtistMetadata): Artist | null {
  if (!isRecord(raw)) return null;
  const id = normaliseMbid(text(raw.artist_mbid) ?? text(raw.mbid));
  const name = text(raw.name);
  if (!id || !name) return null;
  return {
    id: formatGlobalId(SOURCE, 'artist', id),
    source: SOURCE,
    name,
    disambiguation: null,
    type: text(raw.type),
    country: countryCodeForName(text(raw.area)),
    photo: null,
    biography: null,
    links: linksFromRels(raw.rels),
    genres: [],
    similar: [],
    url: `https://listenbrainz.org/artist/${id}`,
    refs: { musicbrainzArtistId: id },
  };
}
