// The layers of cabinet, checked by dependency-cruiser (`npm run lint:deps`). Why each rule exists
// is in docs/layers.md; a rule's `comment` is what a violation prints.
//
// Dependencies point down only: functions → use cases → ports → db / connector → domain.

/** Modules a function may import besides the use cases: the chain and what it is given. */
const FUNCTION_MAY_IMPORT = [
  '^lib/http/', // the one middleware chain and the envelope
  '^lib/schemas/', // the operation's request and response schemas, handed to the chain
  '^lib/domain/', // pure rules (a record's view, a phone's form): no I/O, so no layer is skipped
  // Use cases: a top-level lib/*.ts module (cancel, profile, login, ingest, …, and config, clock,
  // errors, observe beside them), or a folder of one flow's parts.
  '^lib/[^/]+\\.ts$',
  '^lib/(sms|events|limits|docs|pages|sync)/',
  // The ports' interfaces and the choosers that pick their implementation once; never an implementation itself.
  '^lib/ports/(types|records|locations|code-locations|mode)\\.ts$',
].join('|');

/** Connected mode's modules: they may import one another statically; everything else loads them lazily. */
const CONNECTED_MODE = '^lib/(altegio/|sync/|ports/connected/|ports/read-through\\.ts$)';

/** What the connector may use of the top level: infrastructure, no flow. */
const CONNECTOR_MAY_IMPORT_TOP_LEVEL = '^lib/(config|clock|errors|observe|secret-store|ssm)\\.ts$';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'A cycle makes two modules one: neither can be loaded, tested or replaced without the other.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'domain-is-pure',
      severity: 'error',
      comment:
        'lib/domain holds the pure rules: it imports only lib/domain, lib/schemas, node:crypto and pure libraries ' +
        '(zod, libphonenumber-js), never storage, the connector, HTTP errors or the clock.',
      from: { path: '^lib/domain/' },
      to: { pathNot: '^(lib/(domain|schemas)/|node_modules/(zod|libphonenumber-js)/|(node:)?crypto$)' },
    },
    {
      name: 'schemas-know-no-domain',
      severity: 'error',
      comment: 'lib/schemas describes shapes; the domain builds on them, so they must not import the domain back.',
      from: { path: '^lib/schemas/' },
      to: { path: '^lib/domain/' },
    },
    {
      name: 'connector-calls-no-flow',
      severity: 'error',
      comment:
        'lib/altegio serves the ports; the flows (ingest, owners, cancel, …) and the limiter call it, never the ' +
        'other way round. It may use config, clock, errors, observe and the secret store of the top level.',
      from: { path: '^lib/altegio/' },
      to: { path: ['^lib/[^/]+\\.ts$', '^lib/(limits|sms|events|http|pages)/'], pathNot: CONNECTOR_MAY_IMPORT_TOP_LEVEL },
    },
    {
      name: 'functions-call-use-cases',
      severity: 'error',
      comment:
        'A function wires one operation: it calls use cases and lib/http, never storage (lib/db) or the connector ' +
        '(lib/altegio) itself, so connected mode stays a plug-in the use cases choose.',
      from: { path: '^functions/' },
      to: { path: '^lib/', pathNot: FUNCTION_MAY_IMPORT },
    },
    {
      name: 'connected-mode-loaded-lazily',
      severity: 'error',
      comment:
        'Connected mode (lib/altegio, lib/sync, lib/ports/connected and read-through) is loaded by import() from ' +
        'the loaders in lib/ports, only when configured: a static import would make every standalone function ' +
        'evaluate the connector at init. Types may still be named.',
      from: { path: '^(lib|functions)/', pathNot: CONNECTED_MODE },
      to: { path: CONNECTED_MODE, dependencyTypesNot: ['dynamic-import', 'type-only', 'type-import'] },
    },
    {
      name: 'service-imports-no-tooling',
      severity: 'error',
      comment: 'What is deployed (lib/, functions/) must not import scripts, tests or benchmarks: they are not in its bundle.',
      from: { path: '^(lib|functions)/' },
      to: { path: '^(scripts|test|bench)/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // Type-only imports count: a layer that knows another's types depends on it all the same.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: '^(node_modules|clients/typescript/schema\\.d\\.ts)' },
  },
};
