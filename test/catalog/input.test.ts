import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startReplayServer, type ReplayServer } from '../support/replayServer.js';
import { startGateway, type TestGateway } from '../support/gateway.js';
import { searchProvider } from '../support/testProviders.js';

describe('bad input is refused before anything goes upstream', () => {
  let replay: ReplayServer;
  let gateway: TestGateway;

  beforeAll(async () => {
    replay = await startReplayServer({ extraHosts: ['alpha.test'] });
    gateway = await startGateway({ factories: [searchProvider('alpha')], replay, env: { CHAIN_SEARCH_TRACKS: 'alpha' } });
  });
  afterAll(async () => {
    await gateway.close();
    await replay.close();
  });

  const cases: [string, string, Record<string, unknown>, RegExp][] = [
    ['an empty query', 'query($q: String!) { searchTracks(query: $q) { source } }', { q: '   ' }, /must not be empty/],
    ['a 10 kB query', 'query($q: String!) { searchTracks(query: $q) { source } }', { q: 'a'.repeat(10_240) }, /limit is 300/],
    ['first: -1', '{ searchTracks(query: "x", first: -1) { source } }', {}, /"first" must be between 1 and 50/],
    ['first: 10000', '{ searchAlbums(query: "x", first: 10000) { source } }', {}, /"first" must be between 1 and 50/],
    ['a malformed id', '{ track(id: "not-an-id") { title } }', {}, /not a valid id/],
    ['an id with an empty native part', '{ album(id: "musicbrainz:release:") { title } }', {}, /not a valid id/],
    ['an id of an unknown source', '{ track(id: "napster:track:1") { title } }', {}, /Unknown source "napster"/],
    ['an id of the wrong kind', '{ artist(id: "alpha:track:1") { name } }', {}, /not a artist id of Test alpha/],
    ['an unknown source', '{ searchTracks(query: "x", source: "napster") { source } }', {}, /Unknown source "napster"/],
    ['a bad cursor', '{ searchTracks(query: "x", after: "garbage") { source } }', {}, /"after" is not a cursor/],
    ['a bad country', '{ chart(country: "Spain") { source } }', {}, /ISO 3166-1 alpha-2/],
    ['a chart of 1000 entries', '{ chart(first: 1000) { source } }', {}, /"first" must be between 1 and 100/],
    ['lyrics with an empty title', '{ lyrics(artist: "Rosalía", title: "") { text } }', {}, /"title" must not be empty/],
    ['a negative duration', '{ lyrics(artist: "Rosalía", title: "Saoko", duration: -5) { text } }', {}, /"duration" must be/],
  ];

  it.each(cases)('%s → BAD_USER_INPUT with a clear message, nothing upstream', async (_name, query, variables, message) => {
    const before = replay.count();
    const { body } = await gateway.query(query, variables);
    expect(body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(body.errors?.[0]?.message).toMatch(message);
    expect(replay.count() - before).toBe(0);
  });
});
