// The Altegio stand-in (test/helpers/altegio-standin.ts) for the runnable repo: `npm start -- --demo
// --altegio` plays the salon's Altegio account with it. Only scripts import it, never a function,
// so it stays out of the Lambda bundles.
export * from '../test/helpers/altegio-standin.js';
