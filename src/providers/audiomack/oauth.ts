import { createHmac, randomBytes } from 'node:crypto';
import OAuth from 'oauth-1.0a';

/**
 * OAuth 1.0a request signing (RFC 5849) with HMAC-SHA1, as Audiomack's API requires for every
 * call. `oauth-1.0a` builds the signature base string; node:crypto computes the HMAC.
 *
 * Request parameters must be passed decoded in `params` (repeated names as arrays), never
 * pre-encoded in the URL's query: the library would encode them a second time.
 */

export interface OAuthCredentials {
  consumerKey: string;
  consumerSecret: string;
  /** Only for user-authorised (three-legged) calls; catalogue reads are signed without one. */
  token?: { key: string; secret: string };
}

export interface SignableRequest {
  method: string;
  /** Scheme, host and path, no query. */
  url: string;
  params?: Record<string, string | string[]>;
}

export interface SigningOptions {
  nonce?: string;
  /** Seconds since the epoch. */
  timestamp?: number;
  /** `oauth_version`; RFC 5849 makes it optional, and null leaves it out. */
  version?: string | null;
  realm?: string;
}

const hmacSha1 = (baseString: string, key: string) => createHmac('sha1', key).update(baseString).digest('base64');

function oauthFor(credentials: OAuthCredentials, realm?: string): OAuth {
  return new OAuth({
    consumer: { key: credentials.consumerKey, secret: credentials.consumerSecret },
    signature_method: 'HMAC-SHA1',
    hash_function: hmacSha1,
    ...(realm ? { realm } : {}),
  });
}

function protocolParams(credentials: OAuthCredentials, options: SigningOptions): OAuth.Data {
  const params: Record<string, string | number> = {
    oauth_consumer_key: credentials.consumerKey,
    oauth_nonce: options.nonce ?? randomBytes(16).toString('hex'),
    oauth_signature_method: 'HMAC-SHA1',
    oauth_timestamp: options.timestamp ?? Math.floor(Date.now() / 1000),
  };
  if (credentials.token) params.oauth_token = credentials.token.key;
  const version = options.version === undefined ? '1.0' : options.version;
  if (version !== null) params.oauth_version = version;
  return params as unknown as OAuth.Data;
}

function libraryRequest(request: SignableRequest): OAuth.RequestOptions {
  return { url: request.url, method: request.method.toUpperCase(), data: request.params ?? {} };
}

/** RFC 5849 §3.4.1: the string the signature is computed over. */
export function signatureBaseString(request: SignableRequest, credentials: OAuthCredentials, options: SigningOptions = {}): string {
  return oauthFor(credentials).getBaseString(libraryRequest(request), protocolParams(credentials, options));
}

export function signature(request: SignableRequest, credentials: OAuthCredentials, options: SigningOptions = {}): string {
  return oauthFor(credentials).getSignature(libraryRequest(request), credentials.token?.secret, protocolParams(credentials, options));
}

/** The `Authorization: OAuth …` header value for the request. */
export function authorizationHeader(request: SignableRequest, credentials: OAuthCredentials, options: SigningOptions = {}): string {
  const oauth = oauthFor(credentials, options.realm);
  const params = protocolParams(credentials, options);
  const signed = { ...params, oauth_signature: oauth.getSignature(libraryRequest(request), credentials.token?.secret, params) };
  return oauth.toHeader(signed as OAuth.Authorization).Authorization;
}
