/**
 * What loads what: CDK synthesis (bin/app.ts, lib/) reaches the services' contracts but no app, route,
 * handler or store, and no AWS SDK; the client (client/index.ts) reaches no server module at all, neither
 * at run time nor through its types. Run-time graphs come from esbuild's metafile, the type graph from
 * the TypeScript program.
 */
import { build } from "esbuild";
import { relative } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const root = new URL("../../../", import.meta.url).pathname;

/** The repository files an entry point loads at run time, and the packages it imports. */
async function runtimeGraph(entry: string): Promise<{ files: string[]; packages: string[] }> {
  const result = await build({ entryPoints: [root + entry], bundle: true, platform: "node", format: "esm", write: false, metafile: true, packages: "external", logLevel: "silent", absWorkingDir: root });
  const inputs = Object.values(result.metafile.inputs);
  const packages = new Set(inputs.flatMap((i) => i.imports.filter((x) => x.external).map((x) => x.path)));
  return { files: Object.keys(result.metafile.inputs).sort(), packages: [...packages].sort() };
}

/** Server code: a service's app, routes, handlers and stores, the local host, the SDK clients, the HTTP host. */
const serverModule = /^lambdas\/(([a-z-]+)\/(app|handler|[a-z-]+-handler|store|[a-z-]+-store)\.ts|[a-z-]+\/(routes|handlers|store|stores)\/|local\/|shared\/(aws|http|http-middleware|health|audit|idempotency)\.ts)/;
const serverPackage = /^(@aws-sdk\/|hono$|hono\/|@hono\/node-server|@aws-lambda-powertools\/)/;

describe("import graph", () => {
  it("the detector sees server code where there is some (a service's app)", async () => {
    // Act
    const graph = await runtimeGraph("lambdas/drift/app.ts");
    // Assess
    expect(graph.files.filter((f) => serverModule.test(f))).toEqual(expect.arrayContaining(["lambdas/drift/app.ts", "lambdas/drift/store/checks.ts", "lambdas/drift/routes/checks.ts", "lambdas/shared/http.ts"]));
    expect(graph.packages.filter((p) => serverPackage.test(p))).toEqual(expect.arrayContaining(["@aws-sdk/client-s3"]));
  });

  it.each(["bin/app.ts", "lib/api.ts"])("CDK (%s) loads contracts, never an app, handler, store or SDK client", async (entry) => {
    // Act
    const graph = await runtimeGraph(entry);
    // Assess
    expect(graph.files.filter((f) => serverModule.test(f))).toEqual([]);
    expect(graph.packages.filter((p) => serverPackage.test(p))).toEqual([]);
    if (entry === "bin/app.ts") expect(graph.files).toEqual(expect.arrayContaining(["lambdas/registry/contract.ts", "lambdas/drift/contract.ts", "lambdas/performance/contract.ts", "lambdas/events/contract.ts"]));
  });

  it("the client loads only client/ and the signer at run time", async () => {
    // Act
    const graph = await runtimeGraph("client/index.ts");
    // Assess
    expect(graph.files.every((f) => f.startsWith("client/"))).toBe(true);
    expect(graph.packages.filter((p) => !p.startsWith("node:"))).toEqual(["@smithy/signature-v4"]);
  });

  it("the client's types reach no server module and no package but Node's types and the signer's", () => {
    // Prepare
    const program = ts.createProgram([root + "client/index.ts"], { module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, target: ts.ScriptTarget.ES2022, types: ["node"], noEmit: true });
    // Act
    const files = program.getSourceFiles().map((f) => relative(root, f.fileName)).filter((f) => !program.isSourceFileDefaultLibrary(program.getSourceFile(root + f)!));
    const packages = new Set(files.filter((f) => f.startsWith("node_modules/")).map((f) => f.split("/").slice(1, f.split("/")[1].startsWith("@") ? 3 : 2).join("/")));
    // Assess
    expect(files.filter((f) => !f.startsWith("node_modules/")).sort()).toEqual(["client/api-types.ts", "client/errors.ts", "client/files.ts", "client/index.ts", "client/options.ts", "client/records.ts", "client/retry.ts", "client/sigv4.ts", "client/transport.ts", "client/types.ts", "client/upload.ts"]);
    expect([...packages].filter((p) => !["@types/node", "undici-types", "typescript"].includes(p) && !p.startsWith("@smithy/") && p !== "tslib")).toEqual([]);
  }, 60_000);
});
