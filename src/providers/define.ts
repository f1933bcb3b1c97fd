import type { ClientOptions, UpstreamClient } from '../http/types.js';
import type { AppConfig } from '../config.js';
import { SourceError } from '../errors/source.js';
import type { Logger } from '../logger.js';
import { CAPABILITIES, type Provider, type ProviderDeps, type ProviderInfo } from './types.js';

/** What a source declares about itself; everything but the identity has a default. */
export interface ProviderSpec extends Omit<ProviderInfo, 'configured' | 'credentials' | 'hosts'> {
  /**
   * Hosts the source's API and pages live on (`*.example.org` also allows subdomains). The
   * upstream client connects to nothing else, redirects included.
   */
  hosts: readonly string[];
  /** Environment variables the source needs, all of them; default none. */
  credentials?: readonly string[];
  /** Rate limit, headers, timeout and retries for this source's upstream client (or how config sets them). */
  client?: ClientSettings | ((config: AppConfig) => ClientSettings);
}

export type ClientSettings = Omit<ClientOptions, 'source' | 'hosts'>;

/** What `create` gets: the source's own upstream client and its configuration. */
export interface ProviderKit {
  client: UpstreamClient;
  config: AppConfig;
  /** Already bound to `{ provider: <id> }`. */
  logger: Logger;
  /** The process environment, for settings that are not credentials. */
  env: Readonly<Record<string, string | undefined>>;
  /** The value of a declared credential, trimmed; null when unset or blank. */
  credential(name: string): string | null;
}

/** The capabilities (and batch lookups, download resolution) a source implements. */
export type ProviderMethods = Omit<Provider, keyof ProviderInfo>;

/**
 * Declares a source: its identity and hosts, and a `create` function returning what it can do.
 * The upstream client is built from the declaration, so a source cannot reach a host it did not
 * declare. A source with a declared credential missing is `configured: false`, and every one of
 * its capabilities then fails with UNCONFIGURED before anything is sent.
 */
export function defineProvider<M extends ProviderMethods>(spec: ProviderSpec, create: (kit: ProviderKit) => M): (deps: ProviderDeps) => ProviderInfo & M {
  return (deps) => {
    const credentials = spec.credentials ?? [];
    const credential = (name: string): string | null => {
      const value = deps.env[name]?.trim();
      return value ? value : null;
    };
    const missing = credentials.filter((name) => credential(name) === null);
    const settings = typeof spec.client === 'function' ? spec.client(deps.config) : spec.client;
    const client = deps.createClient({ ...settings, source: spec.id, hosts: spec.hosts });
    const methods = create({ client, config: deps.config, logger: deps.logger.child({ provider: spec.id }), env: deps.env, credential });
    const { client: _client, ...info } = spec;
    const provider = { ...info, credentials, configured: missing.length === 0, ...methods };
    return missing.length === 0 ? provider : refuseEverything(provider, missing);
  };
}

/** An unconfigured source keeps its shape (the panel lists its endpoints) but never calls out. */
function refuseEverything<P extends Provider>(provider: P, missing: readonly string[]): P {
  const refuse = () => Promise.reject(new SourceError(provider.id, 'UNCONFIGURED', `${missing.join(' and ')} ${missing.length > 1 ? 'are' : 'is'} not set`));
  const guarded: Record<string, unknown> = { ...(provider as Record<string, unknown>) };
  for (const name of [...CAPABILITIES, ...EXTRA_METHODS]) {
    if (typeof guarded[name] === 'function') guarded[name] = refuse;
  }
  return guarded as P;
}

const EXTRA_METHODS = ['tracksByIds', 'albumsByIds', 'artistsByIds', 'resolveDownload'] as const;
