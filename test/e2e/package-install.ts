/**
 * Installing a built package the way a user does (`npm install <tarball>` in a folder of its own), without
 * a package index: the tarball's registry dependencies are packed from this repository's node_modules
 * (the exact versions the repository tests) and installed alongside it with `npm install --offline`.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";

const repoRoot = new URL("../../", import.meta.url).pathname;

/** The folder of an installed package as Node would resolve it from `from` (nested node_modules first). */
function packageDir(name: string, from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, "node_modules", name);
    if (existsSync(join(candidate, "package.json"))) return candidate;
    if (dir === dirname(dir) || dir.length < repoRoot.length - 1) throw new Error(`${name} is not installed in this repository`);
  }
}

/** The package folders of `names` and of everything they depend on at run time. */
export function dependencyClosure(names: readonly string[]): string[] {
  const seen = new Map<string, string>();
  const visit = (name: string, from: string): void => {
    const dir = packageDir(name, from);
    if (seen.has(dir)) return;
    seen.set(dir, name);
    const manifest = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { dependencies?: Record<string, string> };
    for (const dep of Object.keys(manifest.dependencies ?? {})) visit(dep, dir);
  };
  for (const name of names) visit(name, repoRoot);
  return [...seen.keys()];
}

/**
 * Creates `dir` as a scratch ESM project and installs `tarball` there, its dependencies packed from this
 * repository's node_modules, with no network.
 */
export function installOffline(dir: string, tarball: string, dependencies: readonly string[]): void {
  const packed = join(dir, ".packed");
  mkdirSync(packed, { recursive: true });
  writeFileSync(join(dir, "package.json"), `${JSON.stringify({ name: "scratch", private: true, type: "module" }, null, 2)}\n`);
  const tarballs = dependencyClosure(dependencies).map((pkg) => {
    const out = JSON.parse(execFileSync("npm", ["pack", pkg, "--json", "--pack-destination", packed], { cwd: dir, encoding: "utf8" })) as { filename: string }[];
    return join(packed, out[0].filename);
  });
  // Absolute paths: a relative `a/b.tgz` would be read as a GitHub shorthand.
  execFileSync("npm", ["install", "--offline", "--no-audit", "--no-fund", "--loglevel=error", tarball, ...tarballs], { cwd: dir, encoding: "utf8" });
}

/** Builds `@mlwatch/client` into `outDir` with scripts/package-client.mjs; returns the tarball's path. */
export function buildClientPackage(outDir: string): string {
  const out = execFileSync(process.execPath, [join(repoRoot, "scripts", "package-client.mjs"), "--out", outDir], { cwd: repoRoot, encoding: "utf8" });
  return out.trim().split("\n").pop()!;
}
