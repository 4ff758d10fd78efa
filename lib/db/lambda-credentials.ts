// What the deployed bundles get in place of the SDK's default credential chain
// (@aws-sdk/credential-provider-node; scripts/esbuild-plugins.cjs swaps it in). In Lambda only the
// chain's first link ever answers: the execution role's keys, which Lambda puts in the environment.
// The other links (profiles, SSO, web identity, container and instance metadata) and the STS and
// SSO clients they carry were 130 KB minified of every bundle. Tests, scripts and the local stack
// (static keys for DynamoDB Local, lib/db/client.ts) keep the SDK's own chain.
import { fromEnv } from '@aws-sdk/credential-provider-env';

export const defaultProvider = (init?: Parameters<typeof fromEnv>[0]) => fromEnv(init);
