import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, describeConfigError, loadConfig, loadEnvFile } from '../../src/config.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'musica-env-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

function configError(env: Record<string, string>): ConfigError {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('.env', () => {
  it('adds what the real environment does not set, the real environment winning, and says which names it took', async () => {
    const file = path.join(dir, '.env');
    await writeFile(file, '# Música API\nPORT=5000\nLOG_LEVEL=warn\nLASTFM_API_KEY=\nMUSICA_CONTACT="owner@example.org"\n');
    const env: Record<string, string | undefined> = { PORT: '4100' };
    expect(loadEnvFile(env, file).sort()).toEqual(['LASTFM_API_KEY', 'LOG_LEVEL', 'MUSICA_CONTACT']);
    expect(env).toEqual({ PORT: '4100', LOG_LEVEL: 'warn', LASTFM_API_KEY: '', MUSICA_CONTACT: 'owner@example.org' });
    const config = loadConfig(env);
    expect(config.port).toBe(4100);
    expect(config.logLevel).toBe('warn');
    expect(config.contact).toBe('owner@example.org');
  });

  it('is optional', () => {
    const env = {};
    expect(loadEnvFile(env, path.join(dir, 'no-such.env'))).toEqual([]);
    expect(env).toEqual({});
  });
});

describe('configuration errors', () => {
  it('are in Spanish and name the variable', () => {
    expect(configError({ PORT: 'abc' })).toMatchObject({ message: 'PORT debe ser un número entre 0 y 65535 (se recibió "abc")', variable: 'PORT' });
    expect(configError({ UPSTREAM_RETRIES: '1.5' })).toMatchObject({ message: 'UPSTREAM_RETRIES debe ser un número entero (se recibió "1.5")', variable: 'UPSTREAM_RETRIES' });
    expect(configError({ LOG_LEVEL: 'verbose' }).message).toBe('LOG_LEVEL debe ser debug, info, warn, error o silent (se recibió "verbose")');
    expect(configError({ UPSTREAM_OVERRIDES: '[1]' }).message).toMatch(/^UPSTREAM_OVERRIDES debe ser un objeto JSON de host → URL base/);
    expect(configError({ UPSTREAM_OVERRIDES: '{"musicbrainz.org":"ftp://x"}' }).message).toBe(
      'UPSTREAM_OVERRIDES: el valor de musicbrainz.org debe ser una URL http:// o https://',
    );
  });

  it('say when the value came from .env', () => {
    const error = configError({ MUSICBRAINZ_RPS: '500' });
    expect(describeConfigError(error, ['MUSICBRAINZ_RPS'])).toBe(
      'Configuración no válida: MUSICBRAINZ_RPS debe ser un número entre 0.1 y 50 (se recibió "500") (valor tomado de .env)',
    );
    expect(describeConfigError(error, [])).toBe('Configuración no válida: MUSICBRAINZ_RPS debe ser un número entre 0.1 y 50 (se recibió "500")');
  });
});
