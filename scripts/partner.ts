// `npm run partner -- create NAME` mints a partner token, stores only its digest and prints the
// token once. `npm run partner -- revoke TOKEN` revokes one. Locally it works on the running
// `npm start`'s table (or on its data, when it is not running: scripts/stack.ts); with
// CABINET_DYNAMODB_ENDPOINT=aws and CABINET_TABLE it works on a deployed table.
import './plain-errors.js';
import { runOnStack, scriptArgs } from './stack.js';

const usage = 'usage: npm run partner -- create NAME | npm run partner -- revoke TOKEN';

await runOnStack(import.meta.url, async () => {
  const [command, argument] = scriptArgs();
  if (!(command === 'create' || command === 'revoke') || !argument) {
    console.error(usage);
    return 2;
  }
  const { config } = await import('../lib/config.js');
  const { dynamo } = await import('../lib/db/client.js');
  const { mintPartnerToken, registerPartner, revokePartner } = await import('../lib/db/partner-admin.js');
  const { withTable } = await import('./with-table.js');
  if (command === 'create') {
    const token = mintPartnerToken();
    await withTable(config, dynamo, () => registerPartner(token, argument));
    console.log(`Partner "${argument}" created in table ${config.tableName}. Its token, shown this once:\n${token}`);
    return 0;
  }
  const revoked = await withTable(config, dynamo, () => revokePartner(argument));
  console.log(revoked ? `Revoked, in table ${config.tableName}.` : `No such partner token in table ${config.tableName}; nothing revoked.`);
  return revoked ? 0 : 1;
});
