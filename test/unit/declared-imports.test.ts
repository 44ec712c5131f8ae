/**
 * Every package the repository's code imports is declared in package.json (dependencies or
 * devDependencies): nothing works only because another package happened to bring it into node_modules.
 */
import { readdirSync, readFileSync } from "node:fs";
import { builtinModules } from "node:module";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";

const root = new URL("../../", import.meta.url).pathname;
const folders = ["lambdas", "lib", "bin", "client", "scripts", "test", "bench", "examples"];
const manifest = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { name: string; dependencies?: Record<string, string>; devDependencies?: Record<string, string> };
/** The packages `npm run package` builds from this repository: tests import them from their tarballs. */
const ownPackages = ["@mlwatch/client", "@mlwatch/cdk"];
const declared = new Set([...Object.keys(manifest.dependencies ?? {}), ...Object.keys(manifest.devDependencies ?? {}), manifest.name, ...ownPackages]);
const builtins = new Set(builtinModules);

/** The module specifiers a source file imports: static and dynamic imports, re-exports, require. */
function importedSpecifiers(source: string): string[] {
  const out: string[] = [];
  const patterns = [
    /^\s*(?:import|export)\s[^'"`;]*?\sfrom\s+["']([^"']+)["']/gm,
    /^\s*import\s+["']([^"']+)["']/gm,
    /\bimport\(\s*["']([^"']+)["']\s*\)/g,
    /\brequire\(\s*["']([^"']+)["']\s*\)/g,
  ];
  for (const pattern of patterns) for (const m of source.matchAll(pattern)) out.push(m[1]);
  return out;
}

/** The package a bare specifier names (`aws-cdk-lib/aws-s3` → `aws-cdk-lib`, `@hono/zod-openapi` → itself); undefined for files and builtins. */
function packageOf(specifier: string): string | undefined {
  if (specifier.startsWith(".") || specifier.startsWith("/") || specifier.startsWith("node:")) return undefined;
  const parts = specifier.split("/");
  const name = specifier.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0];
  return builtins.has(name) ? undefined : name;
}

function sourceFiles(): string[] {
  return folders.flatMap((dir) =>
    readdirSync(join(root, dir), { withFileTypes: true, recursive: true })
      .filter((e) => e.isFile() && /\.(ts|mts|cts|js|mjs|cjs)$/.test(e.name) && !join(e.parentPath, e.name).includes("node_modules"))
      .map((e) => relative(root, join(e.parentPath, e.name)))
      // Benchmark output (git-ignored): the bundles bench writes built functions there.
      .filter((f) => !f.startsWith("bench/.data/")),
  );
}

describe("declared imports", () => {
  it("reads the import forms the code uses", () => {
    // Act
    const found = importedSpecifiers(`import { a } from "aws-cdk-lib/aws-s3";\nimport type { B } from '@hono/zod-openapi';\nexport { c } from "./c.js";\nimport "side-effect";\nconst m = await import("@aws-sdk/credential-provider-node");\nconst r = require("fs");\nimport {\n  x,\n  y,\n} from "multi-line";`);
    // Assess
    expect(found.sort()).toEqual(["./c.js", "@aws-sdk/credential-provider-node", "@hono/zod-openapi", "aws-cdk-lib/aws-s3", "fs", "multi-line", "side-effect"].sort());
    expect(["aws-cdk-lib/aws-s3", "@hono/zod-openapi", "./c.js", "node:fs", "fs", "vitest/config"].map(packageOf)).toEqual(["aws-cdk-lib", "@hono/zod-openapi", undefined, undefined, undefined, "vitest"]);
  });

  it("finds every imported package in package.json", () => {
    // Prepare
    const files = [...sourceFiles(), "vitest.config.ts", "eslint.config.js"];
    // Act
    const imported = files.flatMap((f) => importedSpecifiers(readFileSync(join(root, f), "utf8")).flatMap((s) => packageOf(s) ?? []).map((p) => ({ f, p })));
    const undeclared = imported.filter(({ p }) => !declared.has(p)).map(({ f, p }) => `${f}: ${p}`);
    // Assess
    expect(files.length).toBeGreaterThan(150);
    expect([...new Set(imported.map(({ p }) => p))]).toEqual(expect.arrayContaining(["@smithy/signature-v4", "aws-cdk-lib", "hono", "vitest", "esbuild"]));
    expect([...new Set(undeclared)]).toEqual([]);
  });
});
