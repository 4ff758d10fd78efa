// One cold start, as Lambda makes it: a fresh node process imports the bundle (init), then serves
// one request. performance.now() counts from the process's start, so `init` includes Node's own
// start-up, exactly as the hello-world run it is compared with does.
const [bundle, eventJson] = process.argv.slice(2);
const before = performance.now();
const { handler } = await import(bundle);
const init = performance.now();
const context = { awsRequestId: 'cold-start', functionName: 'bench', getRemainingTimeInMillis: () => 10_000 };
const started = performance.now();
const result = await handler(JSON.parse(eventJson), context);
const served = performance.now();
const status = result?.statusCode ?? 0;
process.stdout.write(`\nBENCH ${JSON.stringify({ init, importMs: init - before, firstRequestMs: served - started, status })}\n`);
