import { loadIndex, readRecording } from '../../support/recordings.js';
import type { ReplayServer } from '../../support/replayServer.js';

export const BC = 'bandcamp';

/**
 * The replay server matches POST bodies on InnerTube's keys only, so the mobile API's
 * `band_details` recordings are told apart here by their `band_id`.
 */
export function serveBandDetails(server: ReplayServer): void {
  const byBand = new Map<string, string>();
  for (const entry of loadIndex(BC)) {
    if (!entry.request.url.endsWith('/band_details') || !entry.request.bodyFile) continue;
    byBand.set(String(JSON.parse(readRecording(BC, entry.request.bodyFile)).band_id), entry.file);
  }
  server.intercept((request, response) => {
    if (request.path !== '/api/mobile/22/band_details') return false;
    const file = byBand.get(String(JSON.parse(request.body).band_id));
    if (!file) return false;
    response.writeHead(200, { 'content-type': 'application/json; charset=UTF-8' });
    response.end(readRecording(BC, file));
    return true;
  });
}

/** Track pages recorded at a doubled-slash URL (`//track/<slug>`), served at their canonical address. */
export const MACBENSON_TRACKS = ['coming-of-age', 'home-with-me-3', 'bedsheets-2', 'divine-2', 'dont-dance-with-boys-with-girlfriends'] as const;

export function serveMacbensonTracks(server: ReplayServer): void {
  for (const slug of MACBENSON_TRACKS) {
    server.route('GET', `https://macbenson.bandcamp.com/track/${slug}`, { body: readRecording(BC, `track-macbenson-${slug}.html`), contentType: 'text/html; charset=UTF-8' });
  }
}
