import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AuthService } from '../../src/auth/service.js';
import { openDatabase } from '../../src/db/index.js';
import { silentLogger } from '../../src/logger.js';
import { connectRedis } from '../../src/redis.js';
import { runTsChild, type TsChild } from '../support/child.js';
import { missingPostgres, TEST_DATABASE_URL, testSchemas } from '../support/postgres.js';
import type { UsageGatewayArgs } from '../support/crash/usageGateway.js';

/**
 * A gateway process counts requests and is killed with SIGKILL while requests are in flight;
 * a fresh instance then reads the counts. Without Redis at most one second's worth of the
 * answered requests may be missing; with Redis every answered request must be counted.
 */
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const noPostgres = await missingPostgres('usage crash test on PostgreSQL');
const noRedis = await missingRedis();
const schemas = testSchemas('musica_usage_crash');
const dirs: string[] = [];
const redisPrefixes: string[] = [];

afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  if (!noPostgres) await schemas.dropAll();
  if (!noRedis && redisPrefixes.length) {
    const client = await connectRedis(REDIS_URL);
    for (const prefix of redisPrefixes) {
      for await (const keys of client.scanStream({ match: `${prefix}*`, count: 100 })) if (keys.length) await client.del(...(keys as string[]));
    }
    await client.quit();
  }
});

async function missingRedis(): Promise<string | null> {
  try {
    const client = await connectRedis(REDIS_URL);
    await client.ping();
    await client.quit();
    return null;
  } catch (error) {
    const reason = `no Redis at ${REDIS_URL} (${(error as Error).message})`;
    console.warn(`[skip] usage crash test with Redis: ${reason}`);
    return reason;
  }
}

interface Outcome {
  sent: number;
  answered: number;
  /** Requests answered in the last second before the kill (or after it was sent): one second's worth. */
  lastSecond: number;
  counted: number;
}

/** Loads the gateway with `{ __typename }` from 8 clients and SIGKILLs it after `killAfterMs`. */
async function crashUnderLoad(child: TsChild, killAfterMs: number): Promise<Omit<Outcome, 'counted'> & { keyId: string }> {
  try {
    const { url, key, keyId } = await child.message<{ url: string; key: string; keyId: string }>((m) => typeof m.url === 'string', 60_000);
    let sent = 0;
    const answeredAt: number[] = [];
    let stop = false;
    const client = async () => {
      while (!stop) {
        sent += 1;
        try {
          const response = await fetch(`${url}/graphql`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
            body: JSON.stringify({ query: '{ __typename }' }),
          });
          const body = (await response.json()) as { data?: { __typename?: string } };
          if (response.status === 200 && body.data?.__typename === 'Query') answeredAt.push(Date.now());
        } catch {
          // The connection died with the process: this request was not answered.
        }
      }
    };
    const clients = Array.from({ length: 8 }, () => client());
    await new Promise((resolve) => setTimeout(resolve, killAfterMs));
    const killedAt = Date.now();
    await child.kill();
    stop = true;
    await Promise.all(clients);
    return { sent, answered: answeredAt.length, lastSecond: answeredAt.filter((at) => at >= killedAt - 1000).length, keyId };
  } finally {
    await child.kill();
  }
}

/** A fresh instance on the same stores reads what survived. */
async function countAfterRestart(args: UsageGatewayArgs, keyId: string): Promise<number> {
  const db = await openDatabase({ dataDir: args.dataDir, databaseUrl: args.databaseUrl ?? null }, { postgres: { schema: args.pgSchema } });
  const redis = args.redisUrl ? await connectRedis(args.redisUrl) : null;
  const auth = new AuthService(db, silentLogger, redis ? { redis, redisPrefix: args.redisPrefix } : {});
  try {
    return (await auth.usageByKey()).get(keyId)?.requestsTotal ?? 0;
  } finally {
    await auth.stop();
    await redis?.quit();
    await db.close();
  }
}

/**
 * Each scenario's gateway process is started when the file loads, all at once: loading the app
 * takes a few seconds and they need not wait for each other. Each is killed in its own test.
 */
function prepare(name: string, args: Omit<UsageGatewayArgs, 'dataDir'>, skip: unknown) {
  if (skip) return null;
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'musica-usage-crash-'));
  dirs.push(dataDir);
  const full = { ...args, dataDir };
  const child = runTsChild('test/support/crash/usageGateway.ts', full);
  children.push(child);
  return async (): Promise<Outcome> => {
    const { keyId, ...load } = await crashUnderLoad(child, 2500);
    const outcome = { ...load, counted: await countAfterRestart(full, keyId) };
    const lost = Math.max(0, outcome.answered - outcome.counted);
    console.info(
      `[usage crash] ${name}: ${outcome.answered} answered (${outcome.sent} sent, ${outcome.lastSecond} in the last second), ` +
        `${outcome.counted} counted after SIGKILL, ${lost} lost`,
    );
    return outcome;
  };
}

const children: TsChild[] = [];
const sqlite = prepare('SQLite', {}, false);
const postgres = prepare('PostgreSQL', { databaseUrl: TEST_DATABASE_URL, pgSchema: schemas.next() }, noPostgres);
const redisPrefix = `test-usage-crash-${randomUUID()}:`;
redisPrefixes.push(redisPrefix);
const redis = prepare('Redis + SQLite', { redisUrl: REDIS_URL, redisPrefix }, noRedis);
afterAll(async () => {
  await Promise.all(children.map((child) => child.kill()));
});

describe('usage counts survive a SIGKILL of the gateway', () => {
  it('SQLite: at most the last second of answered requests is lost', { timeout: 120_000 }, async () => {
    const { answered, counted, sent, lastSecond } = await sqlite!();
    expect(answered).toBeGreaterThan(lastSecond);
    expect(counted).toBeLessThanOrEqual(sent);
    expect(answered - counted).toBeLessThanOrEqual(lastSecond);
  });

  it.skipIf(Boolean(noPostgres))('PostgreSQL: at most the last second of answered requests is lost', { timeout: 120_000 }, async () => {
    const { answered, counted, sent, lastSecond } = await postgres!();
    expect(answered).toBeGreaterThan(lastSecond);
    expect(counted).toBeLessThanOrEqual(sent);
    expect(answered - counted).toBeLessThanOrEqual(lastSecond);
  });

  it.skipIf(Boolean(noRedis))('Redis: every answered request is counted', { timeout: 120_000 }, async () => {
    const { answered, counted, sent } = await redis!();
    expect(answered).toBeGreaterThan(0);
    expect(counted).toBeGreaterThanOrEqual(answered);
    expect(counted).toBeLessThanOrEqual(sent);
  });
});
