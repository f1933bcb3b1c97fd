import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);

/** Folder with the gateway's own static pages (admin, web client); the same from `src/` and `dist/`. */
export const STATIC_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../src/web/static');

/**
 * Files GraphiQL needs, served from node_modules so the page works offline and with no CDN.
 * React 18 is the last React with UMD builds, which GraphiQL 3's UMD bundle expects.
 */
export function graphiqlAssets(): Record<string, string> {
  const reactDir = path.dirname(require.resolve('react'));
  const reactDomDir = path.dirname(require.resolve('react-dom'));
  return {
    'react.js': path.join(reactDir, 'umd/react.production.min.js'),
    'react-dom.js': path.join(reactDomDir, 'umd/react-dom.production.min.js'),
    'graphiql.js': require.resolve('graphiql/graphiql.min.js'),
    'graphiql.css': require.resolve('graphiql/graphiql.min.css'),
  };
}
