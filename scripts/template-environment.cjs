// A function's environment as serverless.yml declares it: plain values, and the CloudFormation
// references that only AWS resolves, when it creates the function. Read by
// scripts/serverless-config-check.cjs (settings only, before packaging) and scripts/check-bundles.mjs
// (a packaged function run here, each reference resolved as AWS would). CommonJS: serverless
// require()s the first.

/** The references the template puts in an environment, each with what a function run here gets for it. */
const references = [
  {
    // The HTTP API's own address: CABINET_PUBLIC_URL unless the stage names another.
    is: (value) => {
      const att = value?.['Fn::GetAtt'];
      return Array.isArray(att) && att[0] === 'HttpApi' && att[1] === 'ApiEndpoint';
    },
    standIn: 'https://cabinet-check.execute-api.eu-west-1.amazonaws.com',
  },
];

/** A plain value as the function reads it (text), or undefined for anything else. */
function plainValue(value) {
  return typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;
}

/** What a function run here gets for a reference the template makes, or undefined for one not listed. */
function referenceStandIn(value) {
  return references.find((reference) => reference.is(value))?.standIn;
}

module.exports = { plainValue, referenceStandIn };
