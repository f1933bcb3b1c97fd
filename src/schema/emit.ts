import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildApiSchema, printApiSchema } from './index.js';

/** Writes `schema.graphql` at the repository root from the code (`npm run schema`). */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const target = path.join(root, 'schema.graphql');
await writeFile(target, printApiSchema(await buildApiSchema()));
console.log(`schema written to ${target}`);
