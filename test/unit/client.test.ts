// The typed client (clients/typescript) must match the OpenAPI document it is generated from.
import { readFileSync } from 'node:fs';
import { buildClientTypes, schemaPath } from '../../scripts/client.js';

it('is current: regenerate clients/typescript/schema.d.ts with `npm run client` after `npm run openapi`', async () => {
  expect(readFileSync(schemaPath, 'utf8')).toBe(await buildClientTypes());
});

it('would notice a changed document', async () => {
  const document = JSON.parse(readFileSync(new URL('../../docs/openapi.json', import.meta.url), 'utf8'));
  document.components.schemas.Record.properties.brand_new_field = { type: 'string' };
  expect(await buildClientTypes(document)).not.toBe(readFileSync(schemaPath, 'utf8'));
});
