/**
 * graphbrainz as `bench/peer.mjs` runs it: its own express middleware with its MusicBrainz client
 * and the Cover Art Archive extension, both pointed at the bench's replayed upstream
 * (MUSICBRAINZ_BASE_URL, COVER_ART_ARCHIVE_BASE_URL). Rate limit: GB_LIMIT requests per
 * GB_PERIOD ms (graphbrainz's default is 5 per 5500). No compression, like the gateway.
 * Prints `listening <port>` once it accepts requests.
 */
import express from 'express';
import { MusicBrainz, middleware } from 'graphbrainz';

const client = new MusicBrainz({
  limit: Number(process.env.GB_LIMIT ?? 5),
  period: Number(process.env.GB_PERIOD ?? 5500),
});
const app = express();
app.use('/', middleware({ client, extensions: ['graphbrainz/extensions/cover-art-archive'] }));
const server = app.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  process.stdout.write(`listening ${server.address().port}\n`);
});
