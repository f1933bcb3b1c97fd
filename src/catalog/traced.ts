import type Keyv from 'keyv';
import { isSourceErrorOf } from '../errors/source.js';
import type { CallTrace } from '../http/types.js';
import type { CallContext } from '../providers/types.js';

export type TracedOutcome<T> = { ok: true; value: T; trace: CallTrace } | { ok: false; error: unknown; trace: CallTrace };

/**
 * One provider call as the catalog makes it: with a fresh trace, so the upstream client holds its
 * cache writes back. When the provider accepts what it got (the call succeeds) the writes go
 * ahead, without anyone waiting for them; when it refuses a body (the call fails) nothing is
 * stored, and on BAD_RESPONSE the entries it read are dropped too, so a body the provider cannot
 * use is never served again from the shared cache.
 */
export async function traced<T>(ctx: Omit<CallContext, 'trace'>, cache: Keyv, call: (ctx: CallContext) => Promise<T>): Promise<TracedOutcome<T>> {
  const trace = newTrace();
  try {
    const value = await call({ ...ctx, trace });
    for (const write of trace.pendingWrites) void write();
    trace.pendingWrites.length = 0;
    return { ok: true, value, trace };
  } catch (error) {
    trace.pendingWrites.length = 0;
    if (isSourceErrorOf(error, 'BAD_RESPONSE')) {
      for (const key of trace.keysRead) void cache.delete(key).catch(() => undefined);
    }
    return { ok: false, error, trace };
  }
}

/** A trace with nothing counted and no writes held back yet. */
export function newTrace(): CallTrace {
  return { networkCalls: 0, cacheHits: 0, staleHits: 0, freshUntil: Infinity, bytes: 0, pendingWrites: [], keysRead: [] };
}
