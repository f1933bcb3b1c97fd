import { describe, expect, it } from 'vitest';
import { COUNTRY_NAMES, countryCodeForName, countryName, isCountryCode } from '../../../src/providers/shared/countries.js';

describe('ISO 3166-1 country names (Last.fm geo.* takes names, not codes)', () => {
  it('covers every assigned alpha-2 code, once', () => {
    const codes = Object.keys(COUNTRY_NAMES);
    expect(codes).toHaveLength(249);
    expect(codes.every((code) => /^[A-Z]{2}$/.test(code))).toBe(true);
    expect(new Set(Object.values(COUNTRY_NAMES)).size).toBe(249);
  });

  it('maps codes in any case to the names Last.fm uses', () => {
    expect(countryName('ES')).toBe('Spain');
    expect(countryName('us')).toBe('United States');
    expect(countryName('GB')).toBe('United Kingdom');
    expect(countryName('RU')).toBe('Russian Federation');
    expect(countryName('KR')).toBe('Korea, Republic of');
    expect(countryName('XX')).toBeNull();
    expect(countryName('UK')).toBeNull();
    expect(isCountryCode('MX')).toBe(true);
    expect(isCountryCode(null)).toBe(false);
  });

  it('maps exact names back to codes and refuses near names', () => {
    expect(countryCodeForName('Japan')).toBe('JP');
    expect(countryCodeForName('united kingdom')).toBe('GB');
    expect(countryCodeForName('Russia')).toBeNull();
    expect(countryCodeForName('')).toBeNull();
  });
});
