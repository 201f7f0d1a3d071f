/** Tests run against the real emulator over HTTP and the real dynamic-provider host over gRPC. */
module.exports = {
  // "node", plus closing the inspector sessions @pulumi/pulumi leaves open (see the file).
  testEnvironment: "<rootDir>/tests/helpers/jest-environment.js",
  roots: ["<rootDir>/tests"],
  testMatch: ["**/*.test.ts"],
  transform: { "^.+\\.ts$": ["ts-jest", { tsconfig: "tsconfig.check.json", diagnostics: false }] },
  testTimeout: 60000,
  maxWorkers: 2,
  reporters: ["default", "<rootDir>/tests/helpers/summary-reporter.js"],
};
