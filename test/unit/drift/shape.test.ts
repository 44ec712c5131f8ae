/**
 * The drift service's shape (docs/architecture.md): Lambda entry points only in handlers/ (each exports
 * `handler` and nothing else), reads and writes only in store/, no import circle among its modules (type
 * imports count: a circle of types is still a circle for a reader), no hand-written file over 450 lines, and
 * every Lambda entry of the service is a file of handlers/.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, relative, resolve, dirname } from "node:path";
import { describe, expect, it } from "vitest";
import { lambdaEntries } from "../../../lib/bundles.js";

const root = new URL("../../../", import.meta.url).pathname;
const service = join(root, "lambdas/drift");

/** Every .ts file under a folder, relative to the repository. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith(".ts"))
    .map((e) => relative(root, join(e.parentPath, e.name)))
    .sort();
}

/** The repository files a module imports statically (value and type imports, re-exports), within lambdas/. */
function importsOf(file: string): string[] {
  const text = readFileSync(join(root, file), "utf8");
  const specifiers = [...text.matchAll(/^(?:import|export)\s[^;]*?from\s+"(\.[^"]+)";/gms)].map((m) => m[1]!);
  return specifiers.map((s) => relative(root, resolve(dirname(join(root, file)), s.replace(/\.js$/, ".ts"))));
}

/** The circles of an import graph (file → the files it imports), each as the list of its files. */
function circlesIn(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  const state = new Map<string, "open" | "done">();
  const stack: string[] = [];
  const circles: string[][] = [];
  const visit = (f: string): void => {
    state.set(f, "open");
    stack.push(f);
    for (const next of graph.get(f) ?? []) {
      if (state.get(next) === "open") circles.push(stack.slice(stack.indexOf(next)));
      else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(f, "done");
  };
  for (const f of graph.keys()) if (!state.has(f)) visit(f);
  return circles;
}

/** The import graph among `files` (imports of other files dropped). */
function graphOf(files: readonly string[]): Map<string, string[]> {
  const inside = new Set(files);
  return new Map(files.map((f) => [f, importsOf(f).filter((i) => inside.has(i))]));
}

describe("drift service shape", () => {
  const files = filesUnder(service);

  it("the circle finder sees a circle where there is one, and type imports as edges", () => {
    // Prepare
    const graph = new Map([["a", ["b"]], ["b", ["c"]], ["c", ["a"]], ["d", ["a"]]]);
    // Act
    const found = circlesIn(graph);
    // Assess
    expect(found).toEqual([["a", "b", "c"]]);
    expect(circlesIn(new Map([["a", ["b"]], ["b", []]]))).toEqual([]);
    expect(importsOf("lambdas/drift/shard.ts")).toContain("lambdas/drift/loaded-data.ts"); // `import type { LoadedData }`
  });

  it("has no import circle among its modules", () => {
    expect(circlesIn(graphOf(files))).toEqual([]);
  });

  it("keeps its Lambda entry points in handlers/, each exporting only `handler`", () => {
    // Prepare
    const entries = Object.values(lambdaEntries).filter((e) => e.startsWith("lambdas/drift/"));
    const handlers = files.filter((f) => f.startsWith("lambdas/drift/handlers/"));
    // Assess
    expect(entries.length).toBeGreaterThanOrEqual(6);
    expect(entries.filter((e) => !e.startsWith("lambdas/drift/handlers/"))).toEqual([]);
    expect([...entries].sort()).toEqual(handlers);
    for (const f of handlers) {
      const exported = [...readFileSync(join(root, f), "utf8").matchAll(/^export\s+(?:const|async function|function)\s+(\w+)/gm)].map((m) => m[1]);
      expect(exported, f).toEqual(["handler"]);
    }
  });

  it("has no file outside handlers/ that looks like an entry point, and no store outside store/", () => {
    expect(files.filter((f) => /(^|[/-])handler\.ts$/.test(f) && !f.startsWith("lambdas/drift/handlers/"))).toEqual([]);
    expect(files.filter((f) => /store\.ts$/.test(f))).toEqual([]);
  });

  it("has no hand-written file over 450 lines", () => {
    const long = files.map((f) => ({ f, lines: readFileSync(join(root, f), "utf8").split("\n").length })).filter((x) => x.lines > 450);
    expect(long).toEqual([]);
  });
});
