import { Field, ID, Int, ObjectType } from 'type-graphql';
import { registerEnum } from './registerEnum.js';

export enum SourceStatusValue {
  ACTIVE = 'active',
  INACTIVE = 'inactive',
}

registerEnum(SourceStatusValue, 'SourceStatus', 'Whether a source answers requests. An inactive source is skipped by every chain and its keys are refused.');

export enum CircuitStateValue {
  CLOSED = 'closed',
  OPEN = 'open',
  HALF_OPEN = 'half-open',
}

registerEnum(
  CircuitStateValue,
  'CircuitState',
  'Circuit breaker state: OPEN means the source is being skipped after repeated failures; HALF_OPEN lets one probe call through.',
);

@ObjectType({ description: 'The last failure seen from a source.' })
export class SourceFailure {
  @Field(() => String, { description: 'TIMEOUT, RATE_LIMITED, UNAVAILABLE, BAD_RESPONSE, UNAUTHORIZED, …' }) kind!: string;
  @Field(() => String) message!: string;
  @Field(() => String, { description: 'When it happened (ISO 8601).' }) at!: string;
}

@ObjectType({ description: 'How a source has been behaving in this gateway instance since it started.' })
export class SourceHealth {
  @Field(() => CircuitStateValue) circuit!: CircuitStateValue;
  @Field(() => SourceFailure, { nullable: true }) lastError!: SourceFailure | null;
  @Field(() => Int, { nullable: true, description: 'Median latency of the most recent successful calls, in milliseconds.' }) recentLatencyMs!: number | null;
  @Field(() => Int) successes!: number;
  @Field(() => Int) failures!: number;
}

@ObjectType({ description: 'Requests made with the keys of a source (or with admin keys). Use is unlimited; it is only counted.' })
export class SourceUsage {
  @Field(() => Int, { description: 'Requests today (UTC day).' }) requestsToday!: number;
  @Field(() => Int) requestsTotal!: number;
}

@ObjectType({ description: 'An API key as stored: never the key itself, which is shown only once when issued.' })
export class ApiKey {
  @Field(() => ID) id!: string;
  @Field(() => String, { description: 'The source this key may use, or "*" for an admin key.' }) scope!: string;

  @Field(() => Boolean, {
    description: 'A read-only admin key (scope "*"): reads sources, keys, usage and health and runs checkSource, but every mutation refuses it.',
  })
  readOnly!: boolean;

  @Field(() => String) label!: string;
  @Field(() => String, { description: 'The first characters of the key, to tell keys apart.' }) prefix!: string;
  @Field(() => Boolean, { description: 'False once revoked or rotated away.' }) active!: boolean;
  @Field(() => String) createdAt!: string;
  @Field(() => String, { nullable: true }) lastUsedAt!: string | null;
  @Field(() => String, { nullable: true }) revokedAt!: string | null;
  @Field(() => ID, { nullable: true, description: 'The key that replaced this one when it was rotated.' }) replacedBy!: string | null;
  @Field(() => SourceUsage) usage!: SourceUsage;
}

@ObjectType({ description: 'A newly issued key. `key` is shown this once and cannot be read again.' })
export class IssuedApiKey {
  @Field(() => String, { description: 'The full key, to send as "Authorization: Bearer <key>". Store it now.' }) key!: string;
  @Field(() => ApiKey) apiKey!: ApiKey;
}

@ObjectType({ description: 'A music source of the gateway, as listed in the panel.' })
export class Source {
  @Field(() => ID, { description: 'Stable id used in global ids, chains and keys (musicbrainz, youtubemusic, …).' }) id!: string;
  @Field(() => String, { description: 'Display name ("MusicBrainz", "Scraping YouTube Music").' }) name!: string;
  @Field(() => String) description!: string;
  @Field(() => [String], { description: 'GraphQL fields this source can answer, derived from what it implements.' }) endpoints!: string[];
  @Field(() => SourceStatusValue) status!: SourceStatusValue;
  @Field(() => Boolean, { description: 'Use is not limited (it is counted, see usage).' }) unlimited!: boolean;
  @Field(() => Boolean, { description: 'False when a credential the source needs is missing; it is then skipped.' }) configured!: boolean;
  @Field(() => SourceHealth) health!: SourceHealth;
  @Field(() => SourceUsage) usage!: SourceUsage;
  @Field(() => String, { nullable: true, description: 'Prefix of the newest active key of this source.' }) keyPrefix!: string | null;
  @Field(() => [ApiKey], { description: "This source's keys (an admin sees all of them; a source key sees only itself)." }) keys!: ApiKey[];
  @Field(() => String) createdAt!: string;
  @Field(() => String) updatedAt!: string;
}

@ObjectType({ description: 'The outcome of one live check of a source: a known, real query sent to it now, bypassing the cache.' })
export class SourceCheck {
  @Field(() => String) sourceId!: string;
  @Field(() => String, { description: 'What was asked, in Spanish (e.g. búsqueda de artistas «Leonard Cohen»).' }) probe!: string;
  @Field(() => Boolean, { description: 'True when the source answered and the answer could be read and was not empty.' }) ok!: boolean;
  @Field(() => Int, { nullable: true, description: 'Milliseconds until the answer or the failure; null when nothing was sent (unconfigured).' }) latencyMs!: number | null;

  @Field(() => String, {
    nullable: true,
    description:
      'Why it failed: TIMEOUT, RATE_LIMITED, UNAVAILABLE, BAD_RESPONSE, NOT_FOUND, UNCONFIGURED, UNAUTHORIZED, ABORTED, EMPTY (answered with nothing) or INTERNAL; null when ok.',
  })
  errorKind!: string | null;

  @Field(() => String, { nullable: true, description: 'Spanish explanation for the owner, with the technical detail in parentheses; null when ok.' }) message!: string | null;
  @Field(() => String, { description: 'When the check ran (ISO 8601).' }) checkedAt!: string;
}
