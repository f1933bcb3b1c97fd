import { SourceError, isSourceError } from '../../errors/source.js';
import type { RequestOptions, UpstreamClient } from '../../http/types.js';

/**
 * Fetch and parse as one step. The parser runs as the client's `validate` hook, so a body it
 * cannot read is refused before it is cached (the next call asks the source again instead of
 * replaying the bad answer), and whatever it throws that is not a `SourceError` — a TypeError
 * on a field of the wrong type — becomes BAD_RESPONSE instead of escaping the provider.
 */
export async function readJson<R>(client: UpstreamClient, url: string, options: RequestOptions, parse: (body: unknown) => R): Promise<R> {
  const read = reader(client.source, options, parse);
  return read.result(await client.json<unknown>(url, read.options));
}

/** `readJson` for pages and other text answers. */
export async function readText<R>(client: UpstreamClient, url: string, options: RequestOptions, parse: (body: string) => R): Promise<R> {
  const read = reader(client.source, options, (body) => parse(body as string));
  return read.result(await client.text(url, read.options));
}

/** Runs `parse`, turning anything it throws that is not a `SourceError` into BAD_RESPONSE. */
export function parsing<R>(source: string, parse: () => R): R {
  try {
    return parse();
  } catch (error) {
    if (isSourceError(error)) throw error;
    throw new SourceError(source, 'BAD_RESPONSE', `unreadable answer: ${(error as Error)?.message ?? String(error)}`, { cause: error });
  }
}

function reader<R>(source: string, options: RequestOptions, parse: (body: unknown) => R) {
  // Set by `validate` on a fresh answer; a cached answer (validated when it was stored) is parsed after.
  const fresh: { parsed: boolean; value?: R } = { parsed: false };
  const guarded = (body: unknown): R => parsing(source, () => parse(body));
  return {
    options: {
      ...options,
      validate: (body: unknown) => {
        options.validate?.(body);
        fresh.value = guarded(body);
        fresh.parsed = true;
      },
    },
    result: (body: unknown): R => (fresh.parsed ? (fresh.value as R) : guarded(body)),
  };
}
