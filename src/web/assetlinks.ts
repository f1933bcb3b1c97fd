import type { RequestHandler } from 'express';
import type { AndroidApp } from '../config.js';

/**
 * `/.well-known/assetlinks.json`: Digital Asset Links telling Android that the app signed with
 * these certificates may open this site full screen (a Trusted Web Activity, e.g. built with
 * Bubblewrap). Without ANDROID_PACKAGE / ANDROID_CERT_SHA256 there is no app to vouch for.
 */
export function assetLinks(app: AndroidApp | null): RequestHandler {
  const body = app
    ? JSON.stringify([
        {
          relation: ['delegate_permission/common.handle_all_urls'],
          target: { namespace: 'android_app', package_name: app.packageName, sha256_cert_fingerprints: app.certFingerprints },
        },
      ])
    : null;
  return (_req, res) => {
    if (!body) {
      res
        .status(404)
        .type('text/plain; charset=utf-8')
        .send('No hay ninguna app Android asociada a este sitio: define ANDROID_PACKAGE y ANDROID_CERT_SHA256 (ver README, «Cliente web (/)»).\n');
      return;
    }
    res.type('application/json').send(body);
  };
}
