/** Raw Apple Music Marketing Tools RSS (v2) JSON: `{ feed: { title, country, updated, results: [...] } }`. */

export interface AppleGenre {
  genreId?: string;
  name?: string;
  url?: string;
}

export interface AppleFeedResult {
  id?: string;
  name?: string;
  artistName?: string;
  artistId?: string;
  artistUrl?: string;
  releaseDate?: string;
  kind?: string;
  contentAdvisoryRating?: string;
  artworkUrl100?: string;
  genres?: AppleGenre[];
  url?: string;
}

export interface AppleFeed {
  feed?: {
    title?: string;
    id?: string;
    country?: string;
    updated?: string;
    copyright?: string;
    results?: AppleFeedResult[];
  };
}

/**
 * iTunes Lookup API (`https://itunes.apple.com/lookup?id=…`): `{ resultCount, results }`, where a
 * result is the album (`wrapperType: "collection"`) or one of its songs (`wrapperType: "track"`,
 * `kind: "song"`). Ids are numbers here, strings in the RSS feeds.
 */
export interface ItunesResult {
  wrapperType?: string;
  kind?: string;
  collectionType?: string;
  artistId?: number;
  collectionId?: number;
  trackId?: number;
  artistName?: string;
  collectionName?: string;
  trackName?: string;
  artistViewUrl?: string;
  collectionViewUrl?: string;
  trackViewUrl?: string;
  previewUrl?: string;
  artworkUrl100?: string;
  releaseDate?: string;
  discNumber?: number;
  trackNumber?: number;
  trackCount?: number;
  trackTimeMillis?: number;
  copyright?: string;
  primaryGenreName?: string;
}

export interface ItunesLookup {
  resultCount?: number;
  results?: ItunesResult[];
}
