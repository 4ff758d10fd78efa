// The typed client's types (clients/typescript/schema.d.ts), generated from docs/openapi.json by
// openapi-typescript. `npm run client` rewrites the file; test/unit/client.test.ts fails when the
// checked-in one differs from what the generator makes of the current document.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import openapiTS, { astToString, COMMENT_HEADER, type OpenAPI3 } from 'openapi-typescript';

export const documentPath = new URL('../docs/openapi.json', import.meta.url);
export const schemaPath = new URL('../clients/typescript/schema.d.ts', import.meta.url);

export async function buildClientTypes(document: OpenAPI3 = JSON.parse(readFileSync(documentPath, 'utf8'))): Promise<string> {
  return `${COMMENT_HEADER}${astToString(await openapiTS(document))}`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(schemaPath, await buildClientTypes());
  console.log(`wrote ${fileURLToPath(schemaPath)}`);
}
