/**
 * Raw shapes of the Internet Archive APIs this provider reads. Every field is optional and most
 * may be a string or a list: item metadata is free-form key/value data written by uploaders.
 * See https://archive.org/developers/md-read.html and
 * https://archive.org/services/docs/api/metadata-schema/.
 */
export type IaValue = string | string[] | number | boolean | null | undefined;

/** One entry of `files` (the item's `<identifier>_files.xml`). */
export interface IaFile {
  name?: string;
  /** `original`, `derivative` or `metadata`. */
  source?: string;
  /** IA's format name: `Flac`, `24bit Flac`, `VBR MP3`, `Ogg Vorbis`, `Shorten`, `Item Image`, … */
  format?: string;
  /** For derivatives: the original they were made from. */
  original?: string;
  size?: string;
  /** Seconds (`167.25`) or a clock (`05:37`); `0` when unknown. */
  length?: string;
  title?: string;
  artist?: string;
  creator?: string;
  album?: string;
  track?: string;
  /** ID3 genre of an uploaded audio file. */
  genre?: string;
  md5?: string;
  sha1?: string;
}

/** The item-level metadata (`<identifier>_meta.xml`). */
export interface IaItemMetadata {
  identifier?: IaValue;
  title?: IaValue;
  creator?: IaValue;
  date?: IaValue;
  year?: IaValue;
  mediatype?: IaValue;
  collection?: IaValue;
  licenseurl?: IaValue;
  genre?: IaValue;
  subject?: IaValue;
  publisher?: IaValue;
  'access-restricted-item'?: IaValue;
}

/** `GET https://archive.org/metadata/<identifier>`; `{}` when the item does not exist. */
export interface IaMetadataResponse {
  created?: number;
  d1?: string;
  dir?: string;
  server?: string;
  files?: IaFile[];
  files_count?: number;
  item_size?: number;
  metadata?: IaItemMetadata;
  is_dark?: boolean;
  error?: string;
}

/** A search hit carries the item fields asked for in `fl[]`, plus its download count. */
export type IaSearchDoc = Pick<IaItemMetadata, 'identifier' | 'title' | 'creator' | 'date' | 'year' | 'mediatype' | 'collection' | 'licenseurl'> & {
  downloads?: IaValue;
};

/** `GET https://archive.org/advancedsearch.php?…&output=json` (a Solr response). */
export interface IaSearchResponse {
  responseHeader?: { status?: number; params?: Record<string, unknown> };
  response?: { numFound?: number; start?: number; docs?: IaSearchDoc[] };
  error?: string;
}
