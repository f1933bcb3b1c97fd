type GotModule = typeof import('got');

let loading: Promise<GotModule> | undefined;
let loaded: GotModule | undefined;

/**
 * got, loaded on first use rather than at start: with its dependencies (http2-wrapper, …) it
 * cost about 85 ms of start and 8 MiB. The server's warm-up (warmUp.ts) loads it right after
 * listening, so the first upstream call does not wait for it either.
 */
export function loadGot(): Promise<GotModule> {
  return (loading ??= import('got').then((module) => (loaded = module)));
}

/** Whether `error` is got's RequestError; never, when got has not been loaded (nothing it threw). */
export function isGotRequestError(error: unknown): error is InstanceType<GotModule['RequestError']> {
  return loaded !== undefined && error instanceof loaded.RequestError;
}
