import { capabilitiesOf, type Capability, type Provider } from '../providers/types.js';

/** The GraphQL field each capability serves, as listed in the panel's "endpoints" column. */
const CAPABILITY_ENDPOINTS: Readonly<Record<Capability, string>> = {
  searchTracks: 'searchTracks',
  searchAlbums: 'searchAlbums',
  searchArtists: 'searchArtists',
  track: 'track',
  album: 'album',
  artist: 'artist',
  artistAlbums: 'Artist.discography',
  relatedTracks: 'Track.related',
  chart: 'chart',
  lyrics: 'lyrics',
  coverArt: 'Album.cover/Track.cover',
  artistBiography: 'Artist.biography',
  artistImage: 'Artist.photo',
  tracksByIsrc: 'tracksByIsrc',
  albumsByBarcode: 'albumsByBarcode',
  similarArtists: 'Artist.similar',
};

export function endpointsOf(provider: Provider): string[] {
  return capabilitiesOf(provider).map((capability) => CAPABILITY_ENDPOINTS[capability]);
}
