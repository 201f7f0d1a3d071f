// Lint: ESLint's and typescript-eslint's recommended rules. Formatting is prettier's (see .prettierrc.json).
const js = require("@eslint/js");
const globals = require("globals");
const tseslint = require("typescript-eslint");

module.exports = tseslint.config(
  { ignores: ["**/dist/", "**/node_modules/", "coverage/", ".pulumi-demo/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      // The serialized shim must call require() at run time, inside its methods (see provider/shim.ts).
      "@typescript-eslint/no-require-imports": "off",
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", destructuredArrayIgnorePattern: "^_" },
      ],
    },
  },
  { files: ["**/*.js"], languageOptions: { sourceType: "commonjs", globals: { ...globals.node } } },
  { files: ["tests/**/*.ts"], languageOptions: { globals: { ...globals.jest } } },
);
