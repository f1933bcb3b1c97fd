import type { Lyrics } from '../../domain/types.js';
import { SourceError } from '../../errors/source.js';
import { defineProvider } from '../define.js';
import { readJson } from '../shared/read.js';
import { assertSearchAnswer, parseSearchAnswer, SOURCE } from './parse.js';

const SEARCH_URL = 'https://api.vagalume.com.br/search.php';
const VAGALUME_CREDENTIAL = 'VAGALUME_API_KEY';
/** Vagalume publishes no figure; two a second is modest for a lyrics lookup per played track. */
const RATE_LIMIT = { requests: 2, intervalMs: 1000 };

/**
 * Vagalume: a Brazilian lyrics catalogue, strongest for Portuguese and Spanish songs. One search by
 * artist and title answers with the song and its text; when the title is only close, Vagalume says
 * `aprox` and the chain's matching rules decide whether the offered song is the asked one.
 */
export const createVagalumeProvider = defineProvider(
  {
    id: SOURCE,
    name: 'Vagalume',
    description: 'Letras de canciones del sitio brasileño Vagalume, sobre todo en portugués y español. Necesita una clave gratuita de Vagalume (VAGALUME_API_KEY).',
    hosts: ['api.vagalume.com.br'],
    credentials: [VAGALUME_CREDENTIAL],
    client: { rateLimit: RATE_LIMIT },
  },
  ({ client, credential }) => {
    const apiKey = credential(VAGALUME_CREDENTIAL);

    return {
      async lyrics(query, ctx): Promise<Lyrics | null> {
        if (!apiKey) throw new SourceError(SOURCE, 'UNCONFIGURED', `${VAGALUME_CREDENTIAL} is not set`);
        return readJson(
          client,
          SEARCH_URL,
          { ctx, cache: 'lyrics', searchParams: { art: query.artist, mus: query.title, apikey: apiKey }, secretParams: ['apikey'] },
          (answer) => {
            assertSearchAnswer(answer);
            return parseSearchAnswer(answer);
          },
        );
      },
    };
  },
);
