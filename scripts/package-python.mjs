#!/usr/bin/env node
/**
 * Builds the Python client's wheel → dist-packages/mlwatch-<version>-py3-none-any.whl with
 * python/build_wheel.py (standard library only: no setuptools, no wheel package, no network).
 *
 *   node scripts/package-python.mjs [--out dist-packages]
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const { values } = parseArgs({ options: { out: { type: "string", default: join(root, "dist-packages") } } });
const version = JSON.parse(readFileSync(join(root, "package.json"), "utf8")).version;
const pyproject = readFileSync(join(root, "python", "pyproject.toml"), "utf8");
if (!pyproject.includes(`version = "${version}"`)) {
  console.error(`package-python: python/pyproject.toml's version differs from package.json's ${version}`);
  process.exit(2);
}
const wheel = execFileSync("python3", [join(root, "python", "build_wheel.py"), "--out", values.out], { encoding: "utf8" }).trim();
console.log(wheel);
