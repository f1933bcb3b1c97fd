import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { AttemptOutcome } from '../../src/catalog/provenance.js';
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

describe('site texts', () => {
  it('names every attempt outcome in Spanish, and only outcomes that exist', async () => {
    const { OUTCOME_TEXT } = (await import(pathToFileURL(path.join(STATIC_DIR, 'site', 'texts.js')).href)) as { OUTCOME_TEXT: Record<string, string> };
    expect(Object.keys(OUTCOME_TEXT).sort()).toEqual(Object.keys(OUTCOMES).sort());
    for (const label of Object.values(OUTCOME_TEXT)) expect(label).toMatch(/^[a-záéíóúñ ]+$/);
  });
});
