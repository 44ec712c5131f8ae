/** `mlwatch console`'s flags: help, and one line on stderr with exit code 2 for bad usage (no server is started). */
import { describe, expect, it } from "vitest";
import { runConsole, signingRegion } from "../../../bin/commands/console.js";

function io() {
  const out = { stdout: "", stderr: "" };
  return { out, io: { stdout: { write: (t: string) => (out.stdout += t) }, stderr: { write: (t: string) => (out.stderr += t) } } };
}

describe("mlwatch console", () => {
  it("prints its help", async () => {
    const { out, io: streams } = io();
    expect(await runConsole(["--help"], streams)).toBe(0);
    expect(out.stdout).toMatch(/^usage: mlwatch console \[--endpoint URL\]/);
  });

  it.each([
    [["--port", "70000"], 'mlwatch console: --port must be a TCP port number, got "70000"\n'],
    [["--auth", "basic"], 'mlwatch console: --auth must be sigv4 or none, got "basic"\n'],
    [["--endpoint", "ftp://x"], 'mlwatch console: --endpoint must be an http(s) URL, got "ftp://x"\n'],
    [["--bogus"], "mlwatch console: unknown option --bogus\n"],
    [["extra"], 'mlwatch console: unexpected argument "extra"; see mlwatch console --help\n'],
  ])("refuses %j with one line and exit 2", async (argv, line) => {
    const { out, io: streams } = io();
    expect(await runConsole(argv, streams)).toBe(2);
    expect(out.stderr).toBe(line);
    expect(out.stdout).toBe("");
  });

  it("signs for the region in an execute-api host name, else the one given", () => {
    expect(signingRegion("https://abc.execute-api.eu-west-2.amazonaws.com/v1")).toBe("eu-west-2");
    expect(signingRegion("https://api.example.com/v1", "us-east-1")).toBe("us-east-1");
  });
});
