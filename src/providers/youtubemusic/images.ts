import type { ImageSet } from '../../domain/types.js';
import { num, text } from '../shared/parse.js';
import { digArray, isRecord } from './dig.js';
import { SOURCE } from './runs.js';

/**
 * Thumbnails come as `{url, width, height}` lists, smallest first. Google's image servers
 * (`*.googleusercontent.com`, `*.ggpht.com`) size an image from the options after `=` in the
 * URL: the recordings hold the same picture as `=w60-h60-l90-rj`, `=w120-h120-l90-rj`,
 * `=w544-h544-l90-rj`, or as `=s192`, `=s576`, `=s1200`. For square images on those hosts
 * the three sizes are made by rewriting that option; anything else (video stills on
 * `i.ytimg.com`, wide banners) is picked from the listed sizes by width.
 */

export interface SizedImage {
  url: string;
  width: number | null;
  height: number | null;
}

export const TARGET_WIDTHS = { small: 250, medium: 500, large: 1200 } as const;

const RESIZABLE_HOST = /(^|\.)(googleusercontent\.com|ggpht\.com)$/;
const SIZE_OPTION = /=(?:w(\d+)-h(\d+)|s(\d+))(?=-|$)/;

export function thumbnailsOf(thumbnailHolder: unknown): SizedImage[] {
  return digArray(thumbnailHolder, 'thumbnails')
    .filter(isRecord)
    .map((thumb) => ({ url: text(thumb.url), width: num(thumb.width), height: num(thumb.height) }))
    .filter((thumb): thumb is SizedImage => thumb.url !== null && /^(https?:)?\/\//.test(thumb.url))
    .map((thumb) => ({ ...thumb, url: thumb.url.startsWith('//') ? `https:${thumb.url}` : thumb.url }));
}

/** The same Google-hosted image at `width`×`width`, or null when the URL cannot be resized. */
export function resizedSquare(image: SizedImage, width: number): string | null {
  if (image.width !== null && image.height !== null && image.width !== image.height) return null;
  let parsed: URL;
  try {
    parsed = new URL(image.url);
  } catch {
    return null;
  }
  if (!RESIZABLE_HOST.test(parsed.hostname)) return null;
  const match = SIZE_OPTION.exec(image.url);
  if (!match) return null;
  const replacement = match[3] !== undefined ? `=s${width}` : `=w${width}-h${width}`;
  return image.url.slice(0, match.index) + replacement + image.url.slice(match.index + match[0].length);
}

/** The smallest listed image at least `width` wide, else the widest one. */
function pickByWidth(images: readonly SizedImage[], width: number): SizedImage {
  const byWidth = [...images].sort((a, b) => (a.width ?? 0) - (b.width ?? 0));
  return byWidth.find((image) => (image.width ?? 0) >= width) ?? byWidth[byWidth.length - 1]!;
}

export function imageSetOf(images: readonly SizedImage[]): ImageSet | null {
  if (images.length === 0) return null;
  const largest = pickByWidth(images, Number.POSITIVE_INFINITY);
  const size = (width: number) => resizedSquare(largest, width) ?? pickByWidth(images, width).url;
  return {
    small: size(TARGET_WIDTHS.small),
    medium: size(TARGET_WIDTHS.medium),
    large: size(TARGET_WIDTHS.large),
    source: SOURCE,
  };
}
