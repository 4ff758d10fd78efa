// One DynamoDB Local (in memory) for the whole test run; each test file makes its own table in it.
// Jest loads this file through require(), outside its ESM module mapping, hence the .ts import.
import { freePort, startLocalDynamo, type LocalDynamo } from '../../scripts/local-dynamodb.ts';

declare global {
  var cabinetDynamo: LocalDynamo | undefined;
}

export default async function globalSetup(): Promise<void> {
  // The AWS SDK's own switch for its notice that later releases need Node 22 (Lambda runs 22; this
  // machine 20): printed once per test file, it buried the run's output. Other warnings still show.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  const local = await startLocalDynamo({ port: await freePort() });
  globalThis.cabinetDynamo = local;
  // Test workers are started after this and inherit the environment.
  process.env.CABINET_DYNAMODB_ENDPOINT = local.endpoint;
}
