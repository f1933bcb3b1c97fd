import type { Db } from '../db/types.js';
import type { SourceStatus } from './types.js';

/** A row of `sources`, as the rest of the auth module sees it. */
export interface SourceRecord {
  id: string;
  name: string;
  description: string;
  endpoints: string[];
  status: SourceStatus;
  unlimited: boolean;
  createdAt: string;
  updatedAt: string;
}

/** A row of `api_keys` without its hash: everything about a key that may be shown. */
export interface ApiKeyRecord {
  id: string;
  /** A source id, or `*` for an admin key. */
  scope: string;
  /** A read-only admin key (scope `*`): reads everything, changes nothing. */
  readOnly: boolean;
  label: string;
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
  replacedBy: string | null;
}

export interface UsageFigures {
  requestsToday: number;
  requestsTotal: number;
}

interface SourceRow {
  id: string;
  name: string;
  description: string;
  endpoints: string;
  status: SourceStatus;
  unlimited: number;
  created_at: string;
  updated_at: string;
}

interface KeyRow {
  id: string;
  scope: string;
  read_only: number;
  label: string;
  prefix: string;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
  replaced_by: string | null;
}

export interface KeyCandidate {
  id: string;
  scope: string;
  read_only: number;
  label: string;
  hash: string;
  revoked_at: string | null;
  /** Status of the key's source; null for admin keys and keys of a source no longer listed. */
  source_status: SourceStatus | null;
}

const KEY_COLUMNS = 'id, scope, read_only, label, prefix, created_at, last_used_at, revoked_at, replaced_by';
const SOURCE_COLUMNS = 'id, name, description, endpoints, status, unlimited, created_at, updated_at';

export async function listSources(db: Db): Promise<SourceRecord[]> {
  const rows = await db.all<SourceRow>(`SELECT ${SOURCE_COLUMNS} FROM sources ORDER BY id`);
  return rows.map(toSource);
}

export async function findSource(db: Db, id: string): Promise<SourceRecord | undefined> {
  const row = await db.get<SourceRow>(`SELECT ${SOURCE_COLUMNS} FROM sources WHERE id = ?`, [id]);
  return row && toSource(row);
}

export async function insertSource(
  db: Db,
  source: Pick<SourceRecord, 'id' | 'name' | 'description' | 'endpoints'>,
  now: string,
): Promise<void> {
  await db.run(
    `INSERT INTO sources (${SOURCE_COLUMNS}) VALUES (?, ?, ?, ?, 'active', 1, ?, ?)`,
    [source.id, source.name, source.description, JSON.stringify(source.endpoints), now, now],
  );
}

/** Refreshes what the provider says about itself; status and `unlimited` stay the operator's. */
export async function updateSourceInfo(
  db: Db,
  source: Pick<SourceRecord, 'id' | 'name' | 'description' | 'endpoints'>,
  now: string,
): Promise<void> {
  await db.run('UPDATE sources SET name = ?, description = ?, endpoints = ?, updated_at = ? WHERE id = ?', [
    source.name,
    source.description,
    JSON.stringify(source.endpoints),
    now,
    source.id,
  ]);
}

export async function updateSourceStatus(db: Db, id: string, status: SourceStatus, now: string): Promise<number> {
  const { changes } = await db.run('UPDATE sources SET status = ?, updated_at = ? WHERE id = ?', [status, now, id]);
  return changes;
}

export async function touchSource(db: Db, id: string, now: string): Promise<void> {
  await db.run('UPDATE sources SET updated_at = ? WHERE id = ?', [now, id]);
}

export async function sourceStatuses(db: Db): Promise<Map<string, SourceStatus>> {
  const rows = await db.all<{ id: string; status: SourceStatus }>('SELECT id, status FROM sources');
  return new Map(rows.map((row) => [row.id, row.status]));
}

export async function insertKey(
  db: Db,
  key: { id: string; scope: string; readOnly: boolean; label: string; prefix: string; hash: string },
  now: string,
): Promise<ApiKeyRecord> {
  await db.run('INSERT INTO api_keys (id, scope, read_only, label, prefix, hash, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)', [
    key.id,
    key.scope,
    key.readOnly ? 1 : 0,
    key.label,
    key.prefix,
    key.hash,
    now,
  ]);
  const { hash: _hash, ...shown } = key;
  return { ...shown, createdAt: now, lastUsedAt: null, revokedAt: null, replacedBy: null };
}

export async function findKey(db: Db, id: string): Promise<ApiKeyRecord | undefined> {
  const row = await db.get<KeyRow>(`SELECT ${KEY_COLUMNS} FROM api_keys WHERE id = ?`, [id]);
  return row && toKey(row);
}

export async function listKeys(db: Db, scope?: string): Promise<ApiKeyRecord[]> {
  const rows = scope
    ? await db.all<KeyRow>(`SELECT ${KEY_COLUMNS} FROM api_keys WHERE scope = ? ORDER BY created_at, id`, [scope])
    : await db.all<KeyRow>(`SELECT ${KEY_COLUMNS} FROM api_keys ORDER BY scope, created_at, id`);
  return rows.map(toKey);
}

/** Active keys of a scope of one kind: full keys, or (admin scope only) read-only ones. */
export async function activeKeys(db: Db, scope: string, readOnly = false): Promise<ApiKeyRecord[]> {
  const rows = await db.all<KeyRow>(
    `SELECT ${KEY_COLUMNS} FROM api_keys WHERE scope = ? AND read_only = ? AND revoked_at IS NULL ORDER BY created_at, id`,
    [scope, readOnly ? 1 : 0],
  );
  return rows.map(toKey);
}

/** Keys ever issued for a scope, revoked ones included; read-only admin keys are not counted. */
export async function countKeys(db: Db, scope: string): Promise<number> {
  const row = await db.get<{ n: number }>('SELECT COUNT(*) AS n FROM api_keys WHERE scope = ? AND read_only = 0', [scope]);
  return Number(row?.n ?? 0);
}

export async function revokeKeys(db: Db, ids: readonly string[], now: string, replacedBy: string | null): Promise<number> {
  if (ids.length === 0) return 0;
  const { changes } = await db.run(
    `UPDATE api_keys SET revoked_at = ?, replaced_by = ? WHERE revoked_at IS NULL AND id IN (${ids.map(() => '?').join(', ')})`,
    [now, replacedBy, ...ids],
  );
  return changes;
}

/** Every key sharing the presented key's prefix (normally one), with its source's status. */
export async function keyCandidates(db: Db, prefix: string): Promise<KeyCandidate[]> {
  return db.all<KeyCandidate>(
    `SELECT k.id, k.scope, k.read_only, k.label, k.hash, k.revoked_at, s.status AS source_status
       FROM api_keys k LEFT JOIN sources s ON s.id = k.scope
      WHERE k.prefix = ?`,
    [prefix],
  );
}

/** Adds counted requests and moves each key's `last_used_at` forward. */
export async function addUsage(
  db: Db,
  entries: readonly { keyId: string; scope: string; day: string; count: number; lastUsedAt: string }[],
): Promise<void> {
  for (const entry of entries) {
    await db.run(
      `INSERT INTO key_usage (key_id, scope, day, count) VALUES (?, ?, ?, ?)
       ON CONFLICT (key_id, day) DO UPDATE SET count = key_usage.count + excluded.count`,
      [entry.keyId, entry.scope, entry.day, entry.count],
    );
    await db.run('UPDATE api_keys SET last_used_at = ? WHERE id = ? AND (last_used_at IS NULL OR last_used_at < ?)', [
      entry.lastUsedAt,
      entry.keyId,
      entry.lastUsedAt,
    ]);
  }
}

/** Requests today and in total, per scope (source id or `*`) or per key id. */
export async function usageBy(db: Db, by: 'scope' | 'key', day: string): Promise<Map<string, UsageFigures>> {
  const column = by === 'scope' ? 'scope' : 'key_id';
  const rows = await db.all<{ id: string; today: number; total: number }>(
    `SELECT ${column} AS id, SUM(CASE WHEN day = ? THEN count ELSE 0 END) AS today, SUM(count) AS total
       FROM key_usage GROUP BY ${column}`,
    [day],
  );
  return new Map(rows.map((row) => [row.id, { requestsToday: Number(row.today), requestsTotal: Number(row.total) }]));
}

/** A source's health as an instance last reported it (`source_health`). */
export interface ReportedHealth {
  sourceId: string;
  circuit: 'closed' | 'open' | 'half-open';
  lastError: { kind: string; message: string; at: string } | null;
  recentLatencyMs: number | null;
  successes: number;
  failures: number;
  reportedAt: string;
}

interface HealthRow {
  source_id: string;
  circuit: ReportedHealth['circuit'];
  last_error_kind: string | null;
  last_error_message: string | null;
  last_error_at: string | null;
  recent_latency_ms: number | null;
  successes: number;
  failures: number;
  reported_at: string;
}

export async function saveHealth(db: Db, reports: readonly ReportedHealth[]): Promise<void> {
  for (const report of reports) {
    await db.run(
      `INSERT INTO source_health (source_id, circuit, last_error_kind, last_error_message, last_error_at, recent_latency_ms, successes, failures, reported_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (source_id) DO UPDATE SET circuit = excluded.circuit, last_error_kind = excluded.last_error_kind,
         last_error_message = excluded.last_error_message, last_error_at = excluded.last_error_at,
         recent_latency_ms = excluded.recent_latency_ms, successes = excluded.successes, failures = excluded.failures,
         reported_at = excluded.reported_at`,
      [
        report.sourceId,
        report.circuit,
        report.lastError?.kind ?? null,
        report.lastError?.message ?? null,
        report.lastError?.at ?? null,
        report.recentLatencyMs,
        report.successes,
        report.failures,
        report.reportedAt,
      ],
    );
  }
}

export async function reportedHealth(db: Db): Promise<Map<string, ReportedHealth>> {
  const rows = await db.all<HealthRow>('SELECT * FROM source_health');
  return new Map(
    rows.map((row) => [
      row.source_id,
      {
        sourceId: row.source_id,
        circuit: row.circuit,
        lastError:
          row.last_error_kind === null ? null : { kind: row.last_error_kind, message: row.last_error_message ?? '', at: row.last_error_at ?? row.reported_at },
        recentLatencyMs: row.recent_latency_ms === null ? null : Number(row.recent_latency_ms),
        successes: Number(row.successes),
        failures: Number(row.failures),
        reportedAt: row.reported_at,
      },
    ]),
  );
}

function toSource(row: SourceRow): SourceRecord {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    endpoints: parseEndpoints(row.endpoints),
    status: row.status,
    unlimited: Number(row.unlimited) === 1,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function parseEndpoints(raw: string): string[] {
  try {
    const parsed: unknown = JSON.parse(raw);
    return Array.isArray(parsed) ? parsed.filter((item): item is string => typeof item === 'string') : [];
  } catch {
    return [];
  }
}

function toKey(row: KeyRow): ApiKeyRecord {
  return {
    id: row.id,
    scope: row.scope,
    readOnly: Number(row.read_only) === 1,
    label: row.label,
    prefix: row.prefix,
    createdAt: row.created_at,
    lastUsedAt: row.last_used_at,
    revokedAt: row.revoked_at,
    replacedBy: row.replaced_by,
  };
}
