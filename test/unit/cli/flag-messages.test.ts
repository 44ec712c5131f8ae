/**
 * The API commands speak the command line's language: an API message naming a field (`body.stage`) names
 * the flag that sets it (`--to`), in one stderr line with exit code 2.
 */
import { describe, expect, it } from "vitest";
import { asFlags, runCommand } from "../../../bin/commands/api-common.js";
import { MlwatchApiError } from "../../../client/index.js";

describe("API messages in the CLI's words", () => {
  it("replaces each API field by its flag, whole names only", () => {
    expect(asFlags('body.stage: must be one of "staging", "production"', { "body.stage": "--to" })).toBe('--to: must be one of "staging", "production"');
    expect(asFlags("body.stages and body.stage", { "body.stage": "--to" })).toBe("body.stages and --to");
  });

  it("prints a refused promotion as one line naming --to, exit 2", async () => {
    const out: string[] = [];
    const err: string[] = [];
    const io = { stdout: { write: (t: string) => out.push(t) }, stderr: { write: (t: string) => err.push(t) } };
    const code = await runCommand(
      "models promote",
      io,
      async () => {
        throw new MlwatchApiError(400, "VALIDATION_ERROR", 'body.stage: Invalid option: expected one of "development"|"staging"|"production"|"archived"', "POST /models/m/versions/1.0.0/promote");
      },
      { "body.stage": "--to" },
    );
    expect(code).toBe(2);
    expect(out).toEqual([]);
    expect(err).toEqual(['mlwatch models promote: VALIDATION_ERROR (HTTP 400): --to: Invalid option: expected one of "development"|"staging"|"production"|"archived"\n']);
  });
});
