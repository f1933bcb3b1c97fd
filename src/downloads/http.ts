import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Router, type Request, type Response } from 'express';
import type { DownloadService } from './service.js';

/**
 * `/files/<Artist>/<Album>/<file>?exp=…&sig=…`: serves finished downloads to whoever holds a
 * valid signed URL. Streams from disk (constant memory whatever the size), answers `Range` and
 * conditional requests, and names the file for the browser. Anything unsigned, tampered with or
 * expired gets 403 without revealing whether the file exists.
 */
export function createFilesRouter(service: Pick<DownloadService, 'authorize' | 'markServed'>): Router {
  const router = Router();
  router.use((req, res, next) => {
    serve(service, req, res).catch(next);
  });
  return router;
}

const CONTENT_TYPES: Record<string, string> = { '.wav': 'audio/wav', '.mp3': 'audio/mpeg' };

async function serve(service: Pick<DownloadService, 'authorize' | 'markServed'>, req: Request, res: Response): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.set('allow', 'GET, HEAD').status(405).type('text/plain').send('Método no permitido.');
    return;
  }
  const relative = relativePath(req.path);
  const found = relative ? await service.authorize(relative, single(req.query.exp), single(req.query.sig)) : null;
  if (!found) {
    res.status(403).type('text/plain').send('Enlace de descarga no válido o caducado.');
    return;
  }
  let size: number;
  let modified: Date;
  try {
    const info = await stat(found.absolutePath);
    if (!info.isFile()) throw new Error('not a file');
    size = info.size;
    modified = info.mtime;
  } catch {
    res.status(410).type('text/plain').send('El archivo ya no está disponible; vuelve a pedir la descarga.');
    return;
  }

  const etag = `"${found.file.sha256}"`;
  const exp = Number(single(req.query.exp));
  res.set({
    'accept-ranges': 'bytes',
    etag,
    'last-modified': modified.toUTCString(),
    'content-type': CONTENT_TYPES[path.extname(found.absolutePath).toLowerCase()] ?? 'application/octet-stream',
    'content-disposition': contentDisposition(path.basename(found.absolutePath)),
    'cache-control': `private, max-age=${Math.max(0, Math.floor(exp - Date.now() / 1000))}, no-transform`,
    'x-content-type-options': 'nosniff',
  });

  if (matchesEtag(req.get('if-none-match'), etag)) {
    res.status(304).end();
    return;
  }

  let start = 0;
  let end = size - 1;
  const rangeHeader = req.get('range');
  const ifRange = req.get('if-range');
  if (rangeHeader && (!ifRange || ifRange === etag)) {
    const range = parseRange(rangeHeader, size);
    if (range === 'unsatisfiable') {
      res.status(416).set('content-range', `bytes */${size}`).end();
      return;
    }
    if (range) {
      [start, end] = range;
      res.status(206).set('content-range', `bytes ${start}-${end}/${size}`);
    }
  }
  res.set('content-length', String(size === 0 ? 0 : end - start + 1));
  if (req.method === 'HEAD' || size === 0) {
    res.end();
    return;
  }
  service.markServed(found.trackId);
  try {
    await pipeline(createReadStream(found.absolutePath, { start, end, highWaterMark: 256 * 1024 }), res);
  } catch {
    // The client went away mid-transfer; nothing to answer.
  }
}

/** `/Artist/Album/01%20-%20Song.mp3` → `Artist/Album/01 - Song.mp3`, or null when it could not have been signed. */
function relativePath(urlPath: string): string | null {
  const segments = urlPath.replace(/^\/+/, '').split('/');
  const decoded: string[] = [];
  for (const segment of segments) {
    let value: string;
    try {
      value = decodeURIComponent(segment);
    } catch {
      return null;
    }
    if (value === '' || value.startsWith('.') || value.includes('/') || value.includes('\\') || value.includes('\0')) return null;
    decoded.push(value);
  }
  return decoded.length > 0 ? decoded.join('/') : null;
}

function single(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  return undefined;
}

function matchesEtag(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header.split(',').some((candidate) => {
    const tag = candidate.trim().replace(/^W\//, '');
    return tag === '*' || tag === etag;
  });
}

/**
 * One `bytes=` range (suffix and open-ended forms included). Several ranges are answered with the
 * whole file, which RFC 9110 allows; a syntactically broken header is ignored the same way.
 */
export function parseRange(header: string, size: number): [number, number] | 'unsatisfiable' | null {
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match) return null;
  const [, from = '', to = ''] = match;
  if (from === '' && to === '') return null;
  if (from === '') {
    const suffix = Number(to);
    if (suffix === 0) return 'unsatisfiable';
    return [Math.max(0, size - suffix), size - 1];
  }
  const start = Number(from);
  if (start >= size) return 'unsatisfiable';
  const end = to === '' ? size - 1 : Math.min(Number(to), size - 1);
  if (end < start) return null;
  return [start, end];
}

/** `attachment` with an ASCII fallback name and the exact UTF-8 name per RFC 6266 / RFC 5987. */
export function contentDisposition(name: string): string {
  const ascii = name.normalize('NFKD').replace(/[^\x20-\x7e]/g, '').replace(/["\\%]/g, '_').trim();
  const extension = path.extname(name);
  const stem = ascii.endsWith(extension) ? ascii.slice(0, ascii.length - extension.length) : ascii;
  // A name with nothing left in ASCII (all CJK, say) still gets a readable fallback.
  const fallback = /[A-Za-z0-9]/.test(stem) ? ascii : `audio${extension}`;
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}
