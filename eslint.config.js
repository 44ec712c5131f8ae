// ESLint flat config: typescript-eslint's recommended rules, the purity rule of lambdas/core, and lazy SDK loading in Lambda code.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["node_modules/**", "cdk.out/**", ".vitest/**", "bench/.data/**", "build/**", "dist-packages/**", "**/*.d.ts"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: "readonly", console: "readonly", Buffer: "readonly", URL: "readonly", performance: "readonly", fetch: "readonly", setTimeout: "readonly", clearTimeout: "readonly", AbortSignal: "readonly", Response: "readonly", Request: "readonly", Headers: "readonly", TextDecoder: "readonly", TextEncoder: "readonly" } },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  {
    files: ["test/**/*.ts", "bench/**/*.ts", "examples/**/*.ts"],
    rules: { "@typescript-eslint/no-explicit-any": "off" },
  },
  {
    // Lambda code reaches the SDK through lambdas/shared/sdk/*.ts (loaded on first use, so a cold start
    // evaluates no client it does not send with); type imports are free. test/infra/bundles.test.ts
    // proves the same on the built bundles.
    files: ["lambdas/**/*.ts"],
    ignores: ["lambdas/core/**", "lambdas/shared/aws/**", "lambdas/shared/aws.ts", "lambdas/local/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        { patterns: [{ group: ["@aws-sdk/*"], allowTypeImports: true, message: "load the SDK on first use: lambdas/shared/sdk/*.ts (or a dynamic import())" }] },
      ],
    },
  },
  {
    files: ["lambdas/core/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            { group: ["@aws-sdk/*"], message: "lambdas/core is pure: no AWS SDK" },
            { group: ["hono", "hono/*", "@hono/*"], message: "lambdas/core is pure: no HTTP framework" },
            { group: ["node:fs", "fs", "node:fs/*", "fs/*"], message: "lambdas/core is pure: no file I/O" },
          ],
        },
      ],
      "no-restricted-globals": ["error", { name: "process", message: "lambdas/core is pure: no process.env" }],
    },
  },
);
