/**
 * Contract rules each provider is known to break today, as `<rule>` or `<rule>/<call>` → why.
 * They run as expected failures (`it.fails`): when a fix lands, the test fails until its entry
 * is removed here, so this list always says exactly what is still broken.
 */

const FOREIGN_CURSOR_SENT = 'a cursor it never handed out is read as the first page and sent upstream';

export const KNOWN_FAILURES: Record<string, Record<string, string>> = {
  bandcamp: { 'foreign-cursor': FOREIGN_CURSOR_SENT },
};
