import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { buildApiSchema, printApiSchema } from '../../src/schema/index.js';

const schemaFile = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../schema.graphql');

describe('schema.graphql', () => {
  it('is exactly what the code emits (regenerate with `npm run schema`)', async () => {
    const emitted = printApiSchema(await buildApiSchema());
    if (process.env.UPDATE_SCHEMA === '1') await writeFile(schemaFile, emitted);
    const committed = await readFile(schemaFile, 'utf8').catch(() => '');
    expect(committed, 'schema.graphql is out of date: run `npm run schema` and commit it').toBe(emitted);
  });

  it('has the fields the owner named', async () => {
    const sdl = printApiSchema(await buildApiSchema());
    const typeBody = (name: string) => new RegExp(`type ${name} [^{]*\\{([^}]*)\\}`).exec(sdl)?.[1] ?? '';
    for (const field of ['title', 'artist', 'duration', 'cover', 'releaseDate', 'playbackUrl', 'downloads']) {
      expect(typeBody('Track'), `Track.${field}`).toMatch(new RegExp(`\\n\\s+${field}[(:]`));
    }
    for (const field of ['title', 'artist', 'year', 'cover', 'trackCount', 'tracks']) {
      expect(typeBody('Album'), `Album.${field}`).toMatch(new RegExp(`\\n\\s+${field}[(:]`));
    }
    for (const field of ['name', 'photo', 'biography', 'socialLinks', 'genres', 'discography']) {
      expect(typeBody('Artist'), `Artist.${field}`).toMatch(new RegExp(`\\n\\s+${field}[(:]`));
    }
    for (const query of ['searchTracks', 'searchAlbums', 'searchArtists', 'track', 'album', 'artist', 'node', 'chart', 'lyrics']) {
      expect(typeBody('Query'), `Query.${query}`).toMatch(new RegExp(`\\n\\s+${query}[(:]`));
    }
  });
});
