// Native ESM jest: middy (6 and 7) ships ESM only, so CJS mode cannot load it.
export default {
  // Node's, holding back the service's own output unless a test fails (see the file).
  testEnvironment: '<rootDir>/test/helpers/quiet-environment.ts',
  testMatch: ['<rootDir>/test/**/*.test.ts'],
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: {
    '^(\\.{1,2}/.*)\\.js$': '$1',
    // Its ESM builds import JSON without an import attribute, which jest is deprecating; the CJS
    // builds are the same code and metadata.
    '^libphonenumber-js/(min|mobile)$': '<rootDir>/node_modules/libphonenumber-js/$1/index.cjs',
  },
  transform: {
    '^.+\\.ts$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'es6' } }],
  },
  setupFiles: ['<rootDir>/test/helpers/quiet-logs.ts'],
  globalSetup: '<rootDir>/test/helpers/global-setup.ts',
  globalTeardown: '<rootDir>/test/helpers/global-teardown.ts',
  // A guard against a hung test, not a speed target: on a 2-core machine under load (load average
  // 18 seen) a test of a few password logins, each a deliberate scrypt, took over 20 s.
  testTimeout: 120_000,
};
