import type { Provider, ProviderDeps, ProviderFactory } from './types.js';
import { createAppleProvider } from './apple/index.js';
import { createAudiomackProvider } from './audiomack/index.js';
import { createBandcampProvider } from './bandcamp/index.js';
import { createCoverArtArchiveProvider } from './coverartarchive/index.js';
import { createDeezerProvider } from './deezer/index.js';
import { createInternetArchiveProvider } from './internetarchive/index.js';
import { createJamendoProvider } from './jamendo/index.js';
import { createLastfmProvider } from './lastfm/index.js';
import { createListenBrainzProvider } from './listenbrainz/index.js';
import { createLrclibProvider } from './lrclib/index.js';
import { createLyricscomProvider } from './lyricscom/index.js';
import { createMusicBrainzProvider } from './musicbrainz/index.js';
import { createMusixmatchProvider } from './musixmatch/index.js';
import { createSoundcloudProvider } from './soundcloud/index.js';
import { createVagalumeProvider } from './vagalume/index.js';
import { createWikipediaProvider } from './wikipedia/index.js';
import { createYouTubeMusicProvider } from './youtubemusic/index.js';

/**
 * Every source the gateway knows. Adding a source is adding its folder under `src/providers/`
 * and one line here; its row and key appear in the panel on the next start.
 */
export const PROVIDER_FACTORIES: readonly ProviderFactory[] = [
  createMusicBrainzProvider,
  createCoverArtArchiveProvider,
  createLastfmProvider,
  createJamendoProvider,
  createMusixmatchProvider,
  createLrclibProvider,
  createVagalumeProvider,
  createLyricscomProvider,
  createDeezerProvider,
  createAppleProvider,
  createWikipediaProvider,
  createListenBrainzProvider,
  createYouTubeMusicProvider,
  createSoundcloudProvider,
  createBandcampProvider,
  createAudiomackProvider,
  createInternetArchiveProvider,
];

export class ProviderRegistry {
  private readonly byId: ReadonlyMap<string, Provider>;

  constructor(providers: readonly Provider[]) {
    const byId = new Map<string, Provider>();
    for (const provider of providers) {
      if (byId.has(provider.id)) throw new Error(`two providers share the id "${provider.id}"`);
      byId.set(provider.id, provider);
    }
    this.byId = byId;
  }

  static create(deps: ProviderDeps, factories: readonly ProviderFactory[] = PROVIDER_FACTORIES): ProviderRegistry {
    return new ProviderRegistry(factories.map((factory) => factory(deps)));
  }

  all(): Provider[] {
    return [...this.byId.values()];
  }

  get(id: string): Provider | undefined {
    return this.byId.get(id);
  }
}
