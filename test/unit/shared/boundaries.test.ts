/**
 * The shape the house keeps, read from its import graph (every static import, `import type` and literal
 * `import()`) and its files: services meet only through their front door (`index.ts`, or the contract:
 * `contract.ts` and `contract/`); the two hosts, the local server (lambdas/local/) and the console
 * (lambdas/console/), may also import a service's `app.ts`, since serving every service's routes is their
 * job; platform code (lambdas/shared/, lambdas/core/) imports no service; within a service only store/ (and
 * the Lambda entries under handlers/) load the DynamoDB and S3 clients; no import circles under lambdas/,
 * bin/, lib/ or client/; no hand-written source file over 450 lines. Each checker is first shown to fail on
 * a small graph that breaks its rule.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { crossServiceViolations, importCycles, moduleGraph, platformViolations, sourceFiles, storageViolations, type ModuleGraph } from "./module-graph.js";

const root = new URL("../../../", import.meta.url).pathname;

/** Every service: a folder of lambdas/ with its own contract or front door. */
const services = ["alerts", "drift", "events", "performance", "registry", "retraining", "sagemaker"];
/** The hosts: they serve the services' apps (and may import `app.ts`), and are no service themselves. */
const hosts = ["local", "console"];
/** Platform code, which no service may be imported by. */
const platform = ["shared", "core"];

/** The DynamoDB and S3 clients: their loaders (sdk/), the modules they load (aws/), and the synchronous view (aws.ts). */
const storageLoaders = [
  "lambdas/shared/sdk/dynamodb.ts",
  "lambdas/shared/sdk/s3.ts",
  "lambdas/shared/sdk/presign.ts",
  "lambdas/shared/aws/dynamodb.ts",
  "lambdas/shared/aws/s3.ts",
  "lambdas/shared/aws/presign.ts",
  "lambdas/shared/aws.ts",
];

const graphOf = (edges: Record<string, string[]>): ModuleGraph => new Map(Object.entries(edges));

describe("the boundary checkers fail where they should", () => {
  it("a service importing another's module other than its front door or contract is a violation; a host may import app.ts and handlers/", () => {
    // Prepare
    const graph = graphOf({
      "lambdas/drift/check.ts": ["lambdas/alerts/raise.ts", "lambdas/alerts/index.ts", "lambdas/alerts/contract.ts", "lambdas/performance/contract/schemas.ts", "lambdas/drift/store.ts", "lambdas/shared/http.ts"],
      "lambdas/console/pages/x.ts": ["lambdas/alerts/app.ts", "lambdas/alerts/handlers/api.ts", "lambdas/alerts/store/alerts.ts"],
      "lambdas/drift/app.ts": ["lambdas/registry/app.ts"],
    });
    // Act
    const found = crossServiceViolations(graph, services, hosts);
    // Assess
    expect(found.map((v) => `${v.from} → ${v.to}`)).toEqual(["lambdas/drift/check.ts → lambdas/alerts/raise.ts", "lambdas/console/pages/x.ts → lambdas/alerts/store/alerts.ts", "lambdas/drift/app.ts → lambdas/registry/app.ts"]);
    expect(found[0].rule).toBe("drift may import only alerts's index.ts or contract");
  });

  it("shared/ or core/ importing a service or a host is a violation; importing each other is not", () => {
    // Prepare
    const graph = graphOf({
      "lambdas/shared/alerts.ts": ["lambdas/alerts/store/alerts.ts", "lambdas/core/errors.ts"],
      "lambdas/core/x.ts": ["lambdas/registry/index.ts", "lambdas/local/server.ts"],
      "lambdas/drift/x.ts": ["lambdas/shared/http.ts"],
    });
    // Act
    const found = platformViolations(graph, platform);
    // Assess
    expect(found.map((v) => `${v.from} → ${v.to}`)).toEqual(["lambdas/shared/alerts.ts → lambdas/alerts/store/alerts.ts", "lambdas/core/x.ts → lambdas/registry/index.ts", "lambdas/core/x.ts → lambdas/local/server.ts"]);
  });

  it("a service's domain module or route loading the DynamoDB or S3 client is a violation; its store/ and handlers/, shared/ and hosts are not", () => {
    // Prepare
    const graph = graphOf({
      "lambdas/registry/approvals.ts": ["lambdas/shared/sdk/dynamodb.ts", "lambdas/registry/store/approvals.ts"],
      "lambdas/registry/artifacts.ts": ["lambdas/shared/sdk/presign.ts", "lambdas/shared/sdk/sns.ts"],
      "lambdas/drift/routes/checks.ts": ["lambdas/shared/aws.ts"],
      "lambdas/performance/store/batches.ts": ["lambdas/shared/sdk/dynamodb.ts", "lambdas/shared/sdk/s3.ts"],
      "lambdas/registry/store/sub/x.ts": ["lambdas/shared/aws/s3.ts"],
      "lambdas/drift/handlers/monitor.ts": ["lambdas/shared/sdk/s3.ts"],
      "lambdas/shared/idempotency.ts": ["lambdas/shared/sdk/dynamodb.ts"],
      "lambdas/local/bootstrap.ts": ["lambdas/shared/aws.ts"],
      "lambdas/alerts/raise.ts": ["lambdas/shared/sdk/sns.ts"],
    });
    // Act
    const found = storageViolations(graph, services, storageLoaders);
    // Assess
    expect(found.map((v) => `${v.from} → ${v.to}`)).toEqual([
      "lambdas/registry/approvals.ts → lambdas/shared/sdk/dynamodb.ts",
      "lambdas/registry/artifacts.ts → lambdas/shared/sdk/presign.ts",
      "lambdas/drift/routes/checks.ts → lambdas/shared/aws.ts",
    ]);
    expect(found[0].rule).toBe("only registry's store/ and handlers/ load the DynamoDB and S3 clients");
  });

  it("finds every circle, a self-import included, and gives its path", () => {
    // Prepare: a → b → c → a (with a shortcut c → b making b ↔ c the shortest through b), d ↔ e, f alone, g → g
    const graph = graphOf({ a: ["b"], b: ["c"], c: ["a", "b"], d: ["e"], e: ["d", "f"], f: [], g: ["g"], h: ["a"] });
    // Act
    const cycles = importCycles(graph);
    // Assess
    expect(cycles).toEqual([
      ["a", "b", "c", "a"],
      ["d", "e", "d"],
      ["g", "g"],
    ]);
    expect(importCycles(graphOf({ a: ["b"], b: ["c"], c: [] }))).toEqual([]);
  });

  it("reads type-only, dynamic and re-export imports from source text", () => {
    // Prepare: a scratch graph read the way the real one is
    const graph = moduleGraph(root, ["test/fixtures/module-graph/a.ts", "test/fixtures/module-graph/b.ts", "test/fixtures/module-graph/c.ts"]);
    // Assess
    expect(graph.get("test/fixtures/module-graph/a.ts")).toEqual(["test/fixtures/module-graph/b.ts"]);
    expect(graph.get("test/fixtures/module-graph/b.ts")).toEqual(["test/fixtures/module-graph/c.ts"]);
    expect(graph.get("test/fixtures/module-graph/c.ts")).toEqual(["test/fixtures/module-graph/a.ts"]);
    expect(importCycles(graph)).toEqual([["test/fixtures/module-graph/a.ts", "test/fixtures/module-graph/b.ts", "test/fixtures/module-graph/c.ts", "test/fixtures/module-graph/a.ts"]]);
  });
});

describe("the repository keeps its shape", () => {
  const graph = moduleGraph(root, sourceFiles(root, ["lambdas", "bin", "lib", "client"]));

  it("knows every service and host (a new folder under lambdas/ must be placed in one list)", () => {
    // Act
    const folders = readdirSync(join(root, "lambdas")).filter((f) => statSync(join(root, "lambdas", f)).isDirectory());
    // Assess
    expect(folders.sort()).toEqual([...services, ...hosts, ...platform].sort());
    expect(graph.size).toBeGreaterThan(200);
  });

  it("services import one another only through index.ts or the contract; hosts also through app.ts and handlers/", () => {
    expect(crossServiceViolations(graph, services, hosts)).toEqual([]);
  });

  it("lambdas/shared and lambdas/core import no service and no host", () => {
    expect(platformViolations(graph, platform)).toEqual([]);
  });

  it("within a service, only store/ and handlers/ load the DynamoDB and S3 clients", () => {
    for (const loader of storageLoaders) expect(graph.has(loader), loader).toBe(true);
    expect(storageViolations(graph, services, storageLoaders)).toEqual([]);
  });

  it("has no import circle under lambdas/, bin/, lib/ or client/", () => {
    expect(importCycles(graph)).toEqual([]);
  });
});

/** Files a script writes: the size limit is the generator's business, not a reader's. */
const generated = ["client/api-types.ts", "lib/config-props.ts", "python/src/mlwatch/_operations.py"];
const sourceExtensions = /\.(ts|mts|js|mjs|cjs|py)$/;
const maxLines = 450;

/** Every source file under the given folders (repository-relative), node_modules and build output left out. */
function allSources(folders: readonly string[]): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(join(root, dir))) {
      if (["node_modules", "dist", "build", "__pycache__"].includes(name) || name.startsWith(".")) continue;
      const path = `${dir}/${name}`;
      if (statSync(join(root, path)).isDirectory()) walk(path);
      else if (sourceExtensions.test(name) && !name.endsWith(".d.ts")) out.push(path);
    }
  };
  for (const folder of folders) walk(folder);
  return out.sort();
}

const lineCount = (text: string): number => text.split("\n").length - (text.endsWith("\n") ? 1 : 0);

describe("file size", () => {
  it("the generated files are generated: a script under scripts/ writes each, and each says so", () => {
    const scripts = readdirSync(join(root, "scripts")).map((f) => readFileSync(join(root, "scripts", f), "utf8")).join("\n");
    for (const path of generated) {
      expect(existsSync(join(root, path)), path).toBe(true);
      expect(scripts.includes(path), path).toBe(true);
      expect(readFileSync(join(root, path), "utf8").slice(0, 600), path).toMatch(/do not edit/i);
    }
  });

  it("the walk finds the sources, and the count sees a long file (the generated types are over the limit)", () => {
    expect(allSources(["client", "python/src"])).toEqual(expect.arrayContaining(["client/api-types.ts", "client/index.ts", "python/src/mlwatch/_client.py"]));
    expect(allSources(["client"]).some((f) => f.endsWith(".json") || f.endsWith(".md"))).toBe(false);
    expect(lineCount(readFileSync(join(root, "client/api-types.ts"), "utf8"))).toBeGreaterThan(maxLines);
    expect(lineCount("a\nb\n")).toBe(2);
    expect(lineCount("a\nb")).toBe(2);
  });

  it(`no hand-written source file is over ${maxLines} lines`, () => {
    const long = allSources(["lambdas", "lib", "bin", "client", "scripts", "python/src"])
      .filter((path) => !generated.includes(path))
      .map((path) => ({ path, lines: lineCount(readFileSync(join(root, path), "utf8")) }))
      .filter((f) => f.lines > maxLines)
      .map((f) => `${f.path}: ${f.lines}`);
    expect(long).toEqual([]);
  });
});
