/** This package's version, as package.json says (tests/unit/version.test.ts holds the two together). */
export const VERSION = "0.3.0";
