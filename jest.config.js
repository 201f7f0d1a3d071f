/** Tests run against the real emulator over HTTP and the real dynamic-provider host over gRPC. */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/tests"],
  testMatch: ["**/*.test.ts"],
  transform: { "^.+\\.ts$": ["ts-jest", { tsconfig: "tsconfig.check.json", diagnostics: false }] },
  setupFilesAfterEnv: ["<rootDir>/tests/helpers/close-inspector-sessions.ts"],
  testTimeout: 60000,
  maxWorkers: 2,
  reporters: ["default", "<rootDir>/tests/helpers/summary-reporter.js"],
};
