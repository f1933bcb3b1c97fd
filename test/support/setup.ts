import { afterAll, afterEach } from 'vitest';
import { takeStrayRequests } from './replayServer.js';

/**
 * Every test file: a request the replay server could not answer (no recording, no route, no
 * interceptor) fails the test that sent it, unless the test acknowledged it
 * (`server.acknowledgeUnmatched()`). A provider asking for the wrong URL would otherwise pass
 * on the 501 it got, and a test that meant to exercise a recording would test nothing.
 */
function failOnStrayRequests(when: string): void {
  const stray = takeStrayRequests();
  if (stray.length === 0) return;
  const list = stray.map((request) => `  ${request.method} ${request.url}`).join('\n');
  throw new Error(`${stray.length} request(s) matched no recording, route or interceptor ${when}:\n${list}`);
}

afterEach(() => failOnStrayRequests('during this test'));
afterAll(() => failOnStrayRequests('in this file outside its tests (beforeAll/afterAll)'));
