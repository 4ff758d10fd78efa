// Native ESM jest: middy (6 and 7) ships ESM only, so CJS mode cannot load it.
export default {
  testEnvironment: 'node',
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
  testTimeout: 20000,
};
