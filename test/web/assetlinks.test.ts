import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';
import { startGateway, type TestGateway } from '../support/gateway.js';

/**
 * `/.well-known/assetlinks.json` from ANDROID_PACKAGE / ANDROID_CERT_SHA256: what Android checks
 * before opening the site as a Trusted Web Activity (the APK built with Bubblewrap).
 */
const FINGERPRINT = '14:6D:E9:83:C5:73:06:50:D8:EE:B9:95:2F:34:FC:64:16:A0:83:42:E6:1D:BE:A8:8A:04:96:B2:3F:CF:44:E5';
const SECOND = 'AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89';

describe('ANDROID_PACKAGE and ANDROID_CERT_SHA256', () => {
  const load = (env: Record<string, string>) => loadConfig({ LOG_LEVEL: 'silent', ...env }).androidApp;
  const refusal = (env: Record<string, string>) => {
    try {
      load(env);
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      return (error as Error).message;
    }
    throw new Error('accepted');
  };

  it('are optional, and then there is no app', () => {
    expect(load({})).toBeNull();
    expect(load({ ANDROID_PACKAGE: ' ', ANDROID_CERT_SHA256: '' })).toBeNull();
  });

  it('accept several fingerprints, in either case, with or without colons, once each', () => {
    expect(load({ ANDROID_PACKAGE: 'org.ejemplo.musica', ANDROID_CERT_SHA256: `${FINGERPRINT.toLowerCase()}, ${SECOND.replaceAll(':', '')},${FINGERPRINT}` })).toEqual({
      packageName: 'org.ejemplo.musica',
      certFingerprints: [FINGERPRINT, SECOND],
    });
  });

  it('go together, and each is checked, in Spanish', () => {
    expect(refusal({ ANDROID_PACKAGE: 'org.ejemplo.musica' })).toContain('falta ANDROID_CERT_SHA256');
    expect(refusal({ ANDROID_CERT_SHA256: FINGERPRINT })).toContain('falta ANDROID_PACKAGE');
    expect(refusal({ ANDROID_PACKAGE: 'musica', ANDROID_CERT_SHA256: FINGERPRINT })).toContain('nombre de paquete de Android');
    expect(refusal({ ANDROID_PACKAGE: 'org.ejemplo.1musica', ANDROID_CERT_SHA256: FINGERPRINT })).toContain('recibido "org.ejemplo.1musica"');
    expect(refusal({ ANDROID_PACKAGE: 'org.ejemplo.musica', ANDROID_CERT_SHA256: FINGERPRINT.slice(3) })).toContain('huellas SHA-256');
    expect(refusal({ ANDROID_PACKAGE: 'org.ejemplo.musica', ANDROID_CERT_SHA256: `${FINGERPRINT},SHA1:00` })).toContain('recibido "SHA1:00"');
  });
});

describe('GET /.well-known/assetlinks.json', () => {
  let configured: TestGateway;
  let unset: TestGateway;
  beforeAll(async () => {
    configured = await startGateway({ factories: [], env: { ANDROID_PACKAGE: 'org.ejemplo.musica', ANDROID_CERT_SHA256: `${FINGERPRINT},${SECOND}` } });
    unset = await startGateway({ factories: [] });
  });
  afterAll(async () => {
    await configured?.close();
    await unset?.close();
  });

  it('serves the Digital Asset Links statement Android checks', async () => {
    const response = await fetch(`${configured.url}/.well-known/assetlinks.json`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('application/json');
    expect(await response.json()).toEqual([
      {
        relation: ['delegate_permission/common.handle_all_urls'],
        target: { namespace: 'android_app', package_name: 'org.ejemplo.musica', sha256_cert_fingerprints: [FINGERPRINT, SECOND] },
      },
    ]);
  });

  it('is a 404 that says what to set when no app is configured', async () => {
    const response = await fetch(`${unset.url}/.well-known/assetlinks.json`);
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toContain('text/plain');
    expect(await response.text()).toContain('define ANDROID_PACKAGE y ANDROID_CERT_SHA256');
  });

  it('serves the PNG icons Android asks for', async () => {
    for (const [file, size] of [['icon-192.png', 192], ['icon-512.png', 512], ['icon-maskable-512.png', 512]] as const) {
      const response = await fetch(`${unset.url}/${file}`);
      expect(response.status, file).toBe(200);
      expect(response.headers.get('content-type')).toBe('image/png');
      const png = Buffer.from(await response.arrayBuffer());
      // IHDR: width and height, big-endian, at bytes 16 and 20.
      expect([png.readUInt32BE(16), png.readUInt32BE(20)], file).toEqual([size, size]);
    }
  });
});
