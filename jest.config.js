/** Tests run against the real emulator over HTTP and the real dynamic-provider host over gRPC. */
module.exports = {
  // "node", plus closing the inspector sessions @pulumi/pulumi leaves open (see the file).
  testEnvironment: "<rootDir>/tests/helpers/jest-environment.js",
  roots: ["<rootDir>/tests"],
  testMatch: ["**/*.test.ts"],
  transform: { "^.+\\.ts$": ["ts-jest", { tsconfig: "tsconfig.check.json", diagnostics: false }] },
  testTimeout: 60000,
  // Most of a test's time is spent waiting on the emulator, a host or a plugin (timers, sockets), not
  // on the CPU: four workers on two cores finish the suite in about two thirds of the time of two.
  maxWorkers: 4,
  reporters: ["default", "<rootDir>/tests/helpers/summary-reporter.js"],
};
