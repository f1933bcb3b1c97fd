import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { AttemptOutcome } from '../../src/catalog/provenance.js';
import type { CheckErrorKind } from '../../src/observability/canary.js';
import { STATIC_DIR } from '../../src/web/assets.js';

/**
 * Every outcome `extensions.sources` can report, listed against the type: adding an outcome to
 * the gateway without adding it here fails the typecheck, and without a Spanish label in the
 * site it fails below (the page would show the raw code to the owner).
 */
const OUTCOMES = {
  ok: true,
  empty: true,
  stale: true,
  'lost-hedge': true,
  'skipped-inactive': true,
  'skipped-unconfigured': true,
  'skipped-circuit-open': true,
  'rejected-mismatch': true,
  timeout: true,
  rate_limited: true,
  unavailable: true,
  bad_response: true,
  not_found: true,
  unconfigured: true,
  unauthorized: true,
  aborted: true,
  bad_input: true,
  host_not_allowed: true,
  budget_exceeded: true,
  deadline_exceeded: true,
  cache_miss: true,
} satisfies Record<AttemptOutcome, true>;

/** Every kind a source's `health.lastError.kind` or a `checkSource` `errorKind` can hold, against the type. */
const CHECK_ERROR_KINDS = {
  TIMEOUT: true,
  RATE_LIMITED: true,
  UNAVAILABLE: true,
  BAD_RESPONSE: true,
  NOT_FOUND: true,
  UNCONFIGURED: true,
  UNAUTHORIZED: true,
  ABORTED: true,
  BAD_INPUT: true,
  HOST_NOT_ALLOWED: true,
  BUDGET_EXCEEDED: true,
  DEADLINE_EXCEEDED: true,
  CACHE_MISS: true,
  EMPTY: true,
  INTERNAL: true,
} satisfies Record<CheckErrorKind, true>;

const importPage = (file: string) => import(pathToFileURL(path.join(STATIC_DIR, file)).href);

describe('page texts', () => {
  it('names every attempt outcome in Spanish, and only outcomes that exist', async () => {
    const { OUTCOME_TEXT } = (await importPage('site/texts.js')) as { OUTCOME_TEXT: Record<string, string> };
    expect(Object.keys(OUTCOME_TEXT).sort()).toEqual(Object.keys(OUTCOMES).sort());
    for (const label of Object.values(OUTCOME_TEXT)) expect(label).toMatch(/^[a-záéíóúñ ]+$/);
  });

  it('the admin page names every source error kind in Spanish, as the gateway spells it (upper case)', async () => {
    const { ERROR_KINDS, errorKind } = (await importPage('admin/format.js')) as { ERROR_KINDS: Record<string, string>; errorKind: (kind: string | null) => string | null };
    expect(Object.keys(ERROR_KINDS).sort()).toEqual(Object.keys(CHECK_ERROR_KINDS).map((kind) => kind.toLowerCase()).sort());
    for (const kind of Object.keys(CHECK_ERROR_KINDS)) expect(errorKind(kind)).toBe(ERROR_KINDS[kind.toLowerCase()]);
    expect(errorKind('UNAVAILABLE')).toBe('no disponible');
    expect(errorKind(null)).toBeNull();
  });
});
