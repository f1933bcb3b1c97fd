import {
  fieldExtensionsEstimator,
  getComplexity,
  simpleEstimator,
  type ComplexityEstimator,
  type ComplexityEstimatorArgs,
} from 'graphql-query-complexity';
import type { ApolloServerPlugin } from '@apollo/server';
import { isIntrospectionType, type DocumentNode, type GraphQLSchema } from 'graphql';
import { LRUCache } from 'lru-cache';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../catalog/input.js';
import { ApiError } from '../errors/api.js';

/**
 * The price list of the API: what one GraphQL field costs before anything runs.
 *
 * Unit: one upstream HTTP call. A field's price is the number of calls it usually makes in the
 * ordinary bad case (the first source of a chain has nothing, so the next one is asked), not
 * the absolute worst (every source failing, retries): that tail is what the per-request call
 * budget is for. Fields that only read what their parent already fetched, or the local
 * database, cost nothing; the document-size limits bound those.
 *
 * A field in a list is paid once per item: a connection multiplies what is selected under it by
 * its `first`, a chart by its number of entries, a list without `first` by its ASSUMED_SIZE.
 * Aliases are priced each (they run each), fragments are priced where they are spread, and for
 * an interface (`node`) the dearest possible type counts.
 *
 * Pricing a new field
 *   1. Count the upstream calls its resolver makes for one parent in the ordinary case: a chain
 *      walks sources in order, so count the first source plus one fallback; a loader that
 *      batches ids still counts one call per item (the batch may be split by source).
 *   2. Put that number in COST with a comment saying where it comes from.
 *   3. Give the field `complexity: PRICE.<name>` in its decorator: a number when the field
 *      returns one object; an estimator from `perItem`/`connection` when it returns a list, so
 *      what is selected under it is multiplied.
 *   4. A field that never leaves the process still declares `complexity: PRICE.free`: the test
 *      in test/schema/cost.test.ts refuses any resolver without a price.
 *
 * Example, `Track.availability` (the same recording at other sources): for one track the
 * matcher asks each other source once (an ISRC or metadata search), so COST.AVAILABILITY is the
 * number of sources it asks; the matches are already-fetched tracks, but whatever is selected
 * under them (`track { cover }`) is paid per match:
 *   `@FieldResolver(() => [TrackMatch], { complexity: PRICE.availability })`
 */
export const COST = {
  /** Read from the parent or from the local database (download index, keys, jobs). */
  FREE: 0,
  /**
   * A search walks its chain (up to nine sources for tracks): one usually answers, an empty or
   * failing one or a hedge adds another. Measured: 500 `searchTracks` made 1,101 calls.
   */
  SEARCH: 3,
  /** An entity by id at its own source: one call (MusicBrainz asks for every relation at once). */
  LOOKUP: 1,
  /** A list hanging off one entity at its own source (discography, related tracks): one page, one call. */
  BROWSE: 1,
  /** A chart: Apple Music or Last.fm answers in one call; a fallback adds one. */
  CHART: 2,
  /**
   * The lyrics chain: Musixmatch, LRCLIB and Lyrics.com each need a search and a fetch, and a
   * candidate that does not match moves on to the next source.
   */
  LYRICS: 4,
  /** Cover Art Archive: the release's front, then its release group's. */
  COVER: 2,
  /** Deezer: the picture of the linked artist, else a search by name. */
  ARTIST_PHOTO: 2,
  /** Last.fm (a call per language tried), else Wikidata plus a Wikipedia summary per language. */
  ARTIST_BIOGRAPHY: 4,
  /**
   * `prepareDownload`: looks the track up and queues a job that fetches the whole file and
   * transcodes it, far more work than a call; priced so one request cannot queue dozens.
   */
  PREPARE_DOWNLOAD: 10,
  /** `checkSource`: a live call that bypasses the cache, sometimes two (search, then a fetch); priced so one request cannot probe every source many times. */
  SOURCE_CHECK: 10,
  /**
   * `Track.availability`: each other source of the availability chain is asked once for the
   * track (an ISRC lookup, a published link or a search); of the default eight, the ones without
   * a way to match (no ISRC lookup, no link, no search) and the ones cached for days cost
   * nothing, so six is the ordinary cold case.
   */
  AVAILABILITY: 6,
  /**
   * A field that borrows from a match only when the track's own source has none (`playbackUrl`,
   * `playbackSource`, `downloads`): it stops at the first confident match (play link) or asks only
   * the sources that license downloads, and shares each (track, source) answer with
   * `availability` — about two calls.
   */
  BORROW: 2,
} as const;

/**
 * Lists without a `first` argument have no fixed size; these are the sizes priced. Larger
 * lists (a box set's 120 tracks) are left to the per-request call budget.
 */
export const ASSUMED_SIZE = {
  /** Tracks of one album: covers ordinary and double albums. */
  ALBUM_TRACKS: 30,
  /** Credited artists of one track or album ("A feat. B & C"). */
  CREDITS: 3,
  /** `Artist.similar`: Last.fm gives 5, YouTube Music's related shelf up to about 20. */
  SIMILAR_ARTISTS: 20,
  /** `Track.availability`: matches returned for one track. */
  AVAILABILITY_MATCHES: 5,
} as const;

/** Entries `Query.chart` returns at most (it refuses more). */
const MAX_CHART_ENTRIES = 100;
const DEFAULT_CHART_ENTRIES = 25;

/** A field that costs `own` calls and returns a list of `size(args)` items, each paying for what is selected under it. */
export function perItem(own: number, size: number | ((args: Record<string, unknown>) => number)): ComplexityEstimator {
  return ({ args, childComplexity }: ComplexityEstimatorArgs) => own + (typeof size === 'number' ? size : size(args)) * childComplexity;
}

/** A Relay connection: `own` calls for the page, then `first` items (1 to 50, 10 when omitted). */
export function connection(own: number): ComplexityEstimator {
  return perItem(own, (args) => listSize(args.first, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE));
}

/**
 * `first` as the resolver will take it. Out-of-range values are refused by the resolver with
 * BAD_USER_INPUT, so pricing them at the bound keeps that clearer error; a negative `first`
 * must never lower the price of the rest of the document.
 */
function listSize(first: unknown, fallback: number, max: number): number {
  if (typeof first !== 'number' || !Number.isFinite(first)) return fallback;
  return Math.min(Math.max(Math.trunc(first), 1), max);
}

/** What each field declares as `complexity` (see the comment at the top for how to add one). */
export const PRICE = {
  free: COST.FREE,
  lookup: COST.LOOKUP,
  /** `tracksByIsrc`, `albumsByBarcode`: one lookup at the first source that knows the code, a fallback adds one; then what is selected per result (usually one). */
  byIdentifier: perItem(COST.SEARCH, 3),
  searchTracks: connection(COST.SEARCH),
  searchAlbums: connection(COST.SEARCH),
  searchArtists: connection(COST.SEARCH),
  chart: perItem(COST.CHART, (args) => listSize(args.first, DEFAULT_CHART_ENTRIES, MAX_CHART_ENTRIES)),
  lyrics: COST.LYRICS,
  cover: COST.COVER,
  artistPhoto: COST.ARTIST_PHOTO,
  artistBiography: COST.ARTIST_BIOGRAPHY,
  discography: connection(COST.BROWSE),
  relatedTracks: connection(COST.BROWSE),
  /** Search results often come without the track list: the album is then looked up once. */
  albumTracks: perItem(COST.LOOKUP, ASSUMED_SIZE.ALBUM_TRACKS),
  albumTrackCount: COST.LOOKUP,
  /** Options come from the local index, but an album without its track list is looked up first. */
  albumDownloads: COST.LOOKUP,
  credits: perItem(COST.FREE, ASSUMED_SIZE.CREDITS),
  /** `Artist.similar`: one call to the source's related-artists list (where it has one), then per artist. */
  similarArtists: perItem(COST.BROWSE, ASSUMED_SIZE.SIMILAR_ARTISTS),
  /** `ArtistCredit.artist`: the full artist at the credit's source. */
  creditedArtist: COST.LOOKUP,
  prepareDownload: COST.PREPARE_DOWNLOAD,
  /** `checkSource`: one live canary call that skips every cache (admin keys only). */
  sourceCheck: COST.SOURCE_CHECK,
  /** `Track.availability`: the other sources asked for one track, then what is selected per match. */
  availability: perItem(COST.AVAILABILITY, ASSUMED_SIZE.AVAILABILITY_MATCHES),
  /**
   * A field that may borrow from a match when the track's own source has none (`playbackUrl`,
   * `playbackSource`, `downloads`): the match is resolved once per track, whichever asks.
   */
  borrowed: COST.BORROW,
  /** For `Query.nodes(ids)` when it lands: one lookup per id, and what is selected under each. */
  nodes: ({ args, childComplexity }: ComplexityEstimatorArgs) => (Array.isArray(args.ids) ? args.ids.length : 1) * (COST.LOOKUP + childComplexity),
} as const satisfies Record<string, number | ComplexityEstimator>;

/** Introspection (`__schema`, `__type`, `__typename` and everything under them) never leaves the process. */
const introspectionIsFree: ComplexityEstimator = ({ type, field }) =>
  field.name.startsWith('__') || isIntrospectionType(type) ? 0 : undefined;

const ESTIMATORS: ComplexityEstimator[] = [
  introspectionIsFree,
  fieldExtensionsEstimator(),
  // Plain fields read what their parent fetched: free, but what is under them still counts.
  simpleEstimator({ defaultComplexity: COST.FREE }),
];

/**
 * The price of the operation a request will run. Throws the GraphQLError of graphql-js when the
 * variables do not fit the operation (execution would refuse them as well).
 */
export function operationCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  variables: Record<string, unknown> | undefined,
  operationName: string | undefined,
): number {
  return getComplexity({
    schema,
    query: document,
    variables: variables ?? {},
    operationName,
    estimators: ESTIMATORS,
    // The document limits (documentLimits.ts) already bound the size; never refuse here for it.
    maxQueryNodes: Number.MAX_SAFE_INTEGER,
  });
}

/**
 * Prices the operation once it is parsed, validated and chosen, before anything executes, and
 * refuses it when it costs more than `maxCost` (the prices above). The refusal is a request
 * error, like a validation error: no `data`, HTTP 400 (GraphQL over HTTP requires a 4xx when
 * there is no `data` for `application/graphql-response+json`, and Apollo answers its own
 * validation errors with 400 for `application/json` too).
 */
export function costLimitPlugin<TContext extends object>(maxCost: number): ApolloServerPlugin<TContext> {
  const priced = new PriceMemo();
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ request, document, operation, schema }) {
          let cost: number;
          try {
            const operationName = operation?.name?.value ?? request.operationName ?? undefined;
            cost = priced.get(document, operationName, request.variables, () => operationCost(schema, document, request.variables, operationName));
          } catch (error) {
            // Variables that do not fit the operation: graphql-js would refuse them at execution.
            const detail = (error as Error).message;
            throw new ApiError('BAD_USER_INPUT', { en: detail, es: `Las variables no encajan con la operación: ${detail}` }, { http: { status: 400 } });
          }
          if (cost > maxCost) {
            throw new ApiError(
              'QUERY_TOO_COMPLEX',
              {
                en:
                  `This request would cost ${cost}, over the limit of ${maxCost} (about one unit per call to a music source). ` +
                  'Ask for fewer items (`first`), fewer aliases, or fewer fields that reach other sources (cover, lyrics, biography, album, …).',
                es:
                  `La petición costaría ${cost}, por encima del límite de ${maxCost} (más o menos una unidad por cada llamada a una fuente de música). ` +
                  'Pide menos elementos (`first`), menos alias o menos campos que consulten otras fuentes (cover, lyrics, biography, album, …).',
              },
              { cost, maxCost, http: { status: 400 } },
            );
          }
        },
      };
    },
  };
}

/** Price entries kept per document (one per distinct operation name and variables). */
const PRICES_PER_DOCUMENT = 32;
/** Variables longer than this as JSON are priced each time rather than remembered. */
const LONGEST_VARIABLES = 2_000;

/**
 * Remembers the price of an operation. Apollo hands every request with the same document text
 * the same parsed DocumentNode (its document cache), so prices hang off that object and leave
 * with it; the price also depends on the variables (`first: $n`) and the operation chosen, which
 * key the entries under each document. Only successful pricings are remembered.
 */
class PriceMemo {
  private readonly byDocument = new WeakMap<DocumentNode, LRUCache<string, number>>();

  get(document: DocumentNode, operationName: string | undefined, variables: Record<string, unknown> | undefined, price: () => number): number {
    const variablesKey = variables === undefined ? '' : JSON.stringify(variables);
    if (variablesKey.length > LONGEST_VARIABLES) return price();
    const key = `${operationName ?? ''}\n${variablesKey}`;
    let prices = this.byDocument.get(document);
    const known = prices?.get(key);
    if (known !== undefined) return known;
    const cost = price();
    if (!prices) {
      prices = new LRUCache<string, number>({ max: PRICES_PER_DOCUMENT });
      this.byDocument.set(document, prices);
    }
    prices.set(key, cost);
    return cost;
  }
}
