import type { ImageSet } from '../../domain/types.js';
import { SourceError } from '../../errors/source.js';

export const SOURCE = 'coverartarchive';
const BASE = 'https://coverartarchive.org';

export type CoverOwner = 'release' | 'release-group';

export function coverUrl(owner: CoverOwner, mbid: string): string {
  return `${BASE}/${owner}/${mbid}`;
}

/**
 * The documented front thumbnails (`/front-250`, `/front-500`, `/front-1200`): stable URLs on
 * coverartarchive.org that redirect to the current front image, so they survive re-uploads.
 */
export function frontImageSet(owner: CoverOwner, mbid: string): ImageSet {
  const base = coverUrl(owner, mbid);
  return { small: `${base}/front-250`, medium: `${base}/front-500`, large: `${base}/front-1200`, source: SOURCE };
}

interface ListingImage {
  front?: boolean;
  types?: string[];
}

/**
 * A JSON listing (what `/release/<mbid>` ends at after its redirect, or what a caching proxy may
 * answer directly): true when one image is marked as the front.
 */
export function listingHasFront(body: string): boolean {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw new SourceError(SOURCE, 'BAD_RESPONSE', 'cover listing is not JSON');
  }
  const images = (parsed as { images?: unknown } | null)?.images;
  if (!Array.isArray(images)) throw new SourceError(SOURCE, 'BAD_RESPONSE', 'cover listing has no images array');
  return (images as ListingImage[]).some(
    (image) => image?.front === true || (Array.isArray(image?.types) && image.types.includes('Front')),
  );
}
