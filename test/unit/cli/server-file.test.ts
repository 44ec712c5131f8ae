/**
 * The local server records its URL (`server.json`) and the API commands find it: through $MLWATCH_HOME, or
 * in `.mlwatch/` of the working directory or a folder above it; a file left by a process that is gone is
 * ignored, and --endpoint and $MLWATCH_ENDPOINT still win.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { clientOf, parseArgs } from "../../../bin/commands/api-common.js";
import { removeServerFile, runningServerUrl, serverFilePath, writeServerFile } from "../../../bin/commands/server-file.js";

const saved = { home: process.env.MLWATCH_HOME, endpoint: process.env.MLWATCH_ENDPOINT };
afterEach(() => {
  for (const [k, v] of [["MLWATCH_HOME", saved.home], ["MLWATCH_ENDPOINT", saved.endpoint]] as const) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
});

describe("the local server's URL for the CLI", () => {
  it("is written to $MLWATCH_HOME/server.json, found there, and removed by the process that wrote it", () => {
    // Prepare
    const home = mkdtempSync(join(tmpdir(), "mlwatch-home-"));
    const env = { MLWATCH_HOME: home };
    // Act
    writeServerFile("http://127.0.0.1:3701", serverFilePath(env));
    const found = runningServerUrl(env);
    removeServerFile(serverFilePath(env));
    // Assess
    expect(serverFilePath(env)).toBe(join(home, "server.json"));
    expect(found).toBe("http://127.0.0.1:3701");
    expect(runningServerUrl(env)).toBeUndefined();
  });

  it("is found in .mlwatch/ of a folder above the working directory, and ignored when its process is gone", () => {
    // Prepare
    const checkout = mkdtempSync(join(tmpdir(), "mlwatch-checkout-"));
    const deep = join(checkout, "examples", "data");
    mkdirSync(deep, { recursive: true });
    mkdirSync(join(checkout, ".mlwatch"));
    writeServerFile("http://127.0.0.1:3702", join(checkout, ".mlwatch", "server.json"));
    // Act
    const found = runningServerUrl({}, deep);
    writeFileSync(join(checkout, ".mlwatch", "server.json"), JSON.stringify({ url: "http://127.0.0.1:3703", pid: 2 ** 22 + 7, startedAt: "" }));
    const stale = runningServerUrl({}, deep);
    // Assess
    expect(found).toBe("http://127.0.0.1:3702");
    expect(stale).toBeUndefined();
  });

  it("is the CLI's endpoint unless --endpoint or $MLWATCH_ENDPOINT says otherwise", () => {
    // Prepare
    const home = mkdtempSync(join(tmpdir(), "mlwatch-home-"));
    process.env.MLWATCH_HOME = home;
    delete process.env.MLWATCH_ENDPOINT;
    writeServerFile("http://127.0.0.1:3704", serverFilePath());
    // Act + Assess
    expect(clientOf(parseArgs([], [])).endpoint).toBe("http://127.0.0.1:3704");
    expect(clientOf(parseArgs(["--endpoint", "http://127.0.0.1:4000"], [])).endpoint).toBe("http://127.0.0.1:4000");
    process.env.MLWATCH_ENDPOINT = "http://127.0.0.1:4001";
    expect(clientOf(parseArgs([], [])).endpoint).toBe("http://127.0.0.1:4001");
  });
});
