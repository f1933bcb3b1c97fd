/**
 * Contract rules each provider is known to break today, as `<rule>` or `<rule>/<call>` → why.
 * They run as expected failures (`it.fails`): when a fix lands, the test fails until its entry
 * is removed here, so this list always says exactly what is still broken.
 */

export const KNOWN_FAILURES: Record<string, Record<string, string>> = {};
