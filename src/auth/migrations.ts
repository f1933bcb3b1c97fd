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

/**
 * Read-only admin keys: scope `*` with `read_only = 1`. A flag rather than another scope value,
 * so everything that reads as an admin (every source, keys, usage, metrics) keeps working and
 * only writing is refused. Only admin keys may carry it. SQLite cannot add a table constraint
 * to an existing table, so there the rule is a column CHECK (SQLite lets it name other columns).
 */
const READ_ONLY_SQLITE = `
ALTER TABLE api_keys ADD COLUMN read_only INTEGER NOT NULL DEFAULT 0 CHECK (read_only IN (0, 1) AND (read_only = 0 OR scope = '*'));
`;
const READ_ONLY_POSTGRES = `
ALTER TABLE api_keys ADD COLUMN read_only INTEGER NOT NULL DEFAULT 0;
ALTER TABLE api_keys ADD CONSTRAINT api_keys_read_only_admin CHECK (read_only IN (0, 1) AND (read_only = 0 OR scope = '*'));
`;

/**
 * How each source was behaving, as last reported by a running instance: lets `npm run keys --
 * list` (a separate process with no live state) show health. One row per source; with several
 * instances the latest report wins, and `reported_at` says how old it is.
 */
const SOURCE_HEALTH = `
CREATE TABLE source_health (
  source_id TEXT PRIMARY KEY,
  circuit TEXT NOT NULL,
  last_error_kind TEXT,
  last_error_message TEXT,
  last_error_at TEXT,
  recent_latency_ms INTEGER,
  successes INTEGER NOT NULL,
  failures INTEGER NOT NULL,
  reported_at TEXT NOT NULL
);
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
  { id: 'auth-002-read-only-admin-keys', sqlite: READ_ONLY_SQLITE, postgres: READ_ONLY_POSTGRES },
  { id: 'auth-003-source-health', sqlite: SOURCE_HEALTH, postgres: SOURCE_HEALTH },
  {
    // Usage batches moved from Redis into key_usage, recorded in the same transaction, so a
    // batch left in Redis by a crash is applied once and only once (see usage.ts).
    id: 'auth-004-usage-batches',
    sqlite: USAGE_BATCHES,
    postgres: USAGE_BATCHES,
  },
];
