// `npm run partner -- create NAME` mints a partner token, stores only its digest and prints the
// token once. `npm run partner -- revoke TOKEN` revokes one. Against the embedded DynamoDB it
// uses the running `npm start`, or starts the embedded one on the same data for the moment;
// with CABINET_DYNAMODB_ENDPOINT=aws and CABINET_TABLE it works on a deployed table.
import { config } from '../lib/config.js';
import { dynamo } from '../lib/db/client.js';
import { mintPartnerToken, registerPartner, revokePartner } from '../lib/db/partner-admin.js';
import { withTable } from './with-table.js';

const usage = 'usage: npm run partner -- create NAME | npm run partner -- revoke TOKEN';

const [command, argument] = process.argv.slice(2);
if (command === 'create' && argument) {
  const token = mintPartnerToken();
  await withTable(config, dynamo, () => registerPartner(token, argument));
  console.log(`Partner "${argument}" created in table ${config.tableName}. Its token, shown this once:\n${token}`);
} else if (command === 'revoke' && argument) {
  const revoked = await withTable(config, dynamo, () => revokePartner(argument));
  console.log(revoked ? 'Revoked.' : 'No such partner token.');
  process.exitCode = revoked ? 0 : 1;
} else {
  console.error(usage);
  process.exitCode = 2;
}
