/**
 * `node dist/server.js` (`npm start`). The heap policy for the start is set before the
 * composition root (main.ts) is even loaded: every module a file imports statically is read and
 * compiled before the first of them runs, and that alone would already grow V8's nursery
 * (startupHeap.ts). Hence the one dynamic import.
 */
import './startupHeap.js';

await import('./main.js');
