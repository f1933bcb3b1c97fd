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
