import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';

describe('request limits in the environment', () => {
  it('has defaults that every README example and the web client fit in', () => {
    expect(loadConfig({})).toMatchObject({ maxQueryCost: 300, maxQueryDepth: 10, maxQueryAliases: 20, maxQuerySelections: 1000, maxQueryTokens: 5000 });
  });

  it('takes whole numbers within range', () => {
    expect(loadConfig({ MAX_QUERY_COST: '1200', MAX_QUERY_ALIASES: '0' })).toMatchObject({ maxQueryCost: 1200, maxQueryAliases: 0 });
  });

  it.each([
    ['MAX_QUERY_COST', '0'],
    ['MAX_QUERY_COST', 'mucho'],
    ['MAX_QUERY_COST', '12.5'],
    ['MAX_QUERY_DEPTH', '2'],
    // Below these the standard introspection query (about 230 fields, 200 tokens) would not fit.
    ['MAX_QUERY_SELECTIONS', '100'],
    ['MAX_QUERY_TOKENS', '500'],
  ])('refuses %s=%s naming the variable', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [name]: value })).toThrow(name);
  });
});
