import type { Migration } from '../db/types.js';

/**
 * Keys, sources and usage. Booleans are 0/1 integers and timestamps ISO-8601 text in both
 * dialects so the queries in `repository.ts` run unchanged on SQLite and PostgreSQL.
 * `api_keys.scope` is a source id or `*` (admin), so it cannot reference `sources`.
 */
const SCHEMA = `
CREATE TABLE sources (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  endpoints TEXT NOT NULL DEFAULT '[]',
  status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'inactive')),
  unlimited INTEGER NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE TABLE api_keys (
  id TEXT PRIMARY KEY,
  scope TEXT NOT NULL,
  label TEXT NOT NULL,
  prefix TEXT NOT NULL,
  hash TEXT NOT NULL UNIQUE,
  created_at TEXT NOT NULL,
  last_used_at TEXT,
  revoked_at TEXT,
  replaced_by TEXT REFERENCES api_keys (id)
);
CREATE INDEX api_keys_prefix ON api_keys (prefix);
CREATE INDEX api_keys_scope ON api_keys (scope);
CREATE TABLE key_usage (
  key_id TEXT NOT NULL REFERENCES api_keys (id),
  scope TEXT NOT NULL,
  day TEXT NOT NULL,
  count INTEGER NOT NULL,
  PRIMARY KEY (key_id, day)
);
CREATE INDEX key_usage_scope_day ON key_usage (scope, day);
`;

const USAGE_BATCHES = `
CREATE TABLE usage_batches (
  id TEXT PRIMARY KEY,
  applied_at TEXT NOT NULL
);
CREATE INDEX usage_batches_applied_at ON usage_batches (applied_at);
`;

export const AUTH_MIGRATIONS: readonly Migration[] = [
  {
    id: 'auth-001-sources-keys-usage',
    sqlite: SCHEMA,
    // The same DDL is valid PostgreSQL; counts stay INTEGER (int4) per key per day.
    postgres: SCHEMA,
  },
  {
    // Usage batches moved from Redis into key_usage, recorded in the same transaction, so a
    // batch left in Redis by a crash is applied once and only once (see usage.ts).
    id: 'auth-002-usage-batches',
    sqlite: USAGE_BATCHES,
    postgres: USAGE_BATCHES,
  },
];
