/**
 * Every error code the services answer comes from the one list (`ErrorCode`, lambdas/core/errors.ts): no
 * module writes a code as a string of its own, and every error class's code is in the list. The client's
 * list (ApiErrorCode, generated) is the same.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { ApiErrorCode } from "../../../client/api-types.js";
import * as errors from "../../../lambdas/core/errors.js";
import { ErrorCode } from "../../../lambdas/core/errors.js";
import { mapError } from "../../../lambdas/shared/errors.js";

const root = new URL("../../../", import.meta.url).pathname;

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : path.endsWith(".ts") ? [path] : [];
  });
}

describe("error codes", () => {
  it("writes no error code as a literal outside the list (every { error: { code } } uses ErrorCode)", () => {
    // an error body's code, or an error's code option, spelled as an upper-case string literal
    const literal = /\bcode\s*:\s*["'`]([A-Z][A-Z0-9_]+)["'`]/g;
    const found: string[] = [];
    for (const file of [...sources(join(root, "lambdas")), ...sources(join(root, "bin"))]) {
      if (file.endsWith("core/errors.ts")) continue;
      for (const m of readFileSync(file, "utf8").matchAll(literal)) found.push(`${relative(root, file)}: ${m[1]}`);
    }
    expect(found).toEqual([]);
  });

  it("gives every error class a code from the list, and maps unknown errors to INTERNAL_ERROR", () => {
    const codes = new Set<string>(Object.values(ErrorCode));
    const classes = (Object.values(errors) as unknown[]).filter((v): v is new (...args: unknown[]) => errors.MlwatchError => typeof v === "function" && v.prototype instanceof errors.MlwatchError);
    expect(classes.length).toBeGreaterThan(5);
    for (const Class of classes) {
      // Each subclass takes (message, …): build one with placeholder arguments of the right kinds.
      const instance = new Class("m", [], {});
      expect(codes.has(instance.code), `${Class.name} answers ${instance.code}`).toBe(true);
      expect(codes.has(mapError(instance, "r").body.error.code)).toBe(true);
    }
    expect(mapError(new Error("boom"), "r").body.error.code).toBe(ErrorCode.internal);
  });

  it("publishes the same list to the client", () => {
    expect(ApiErrorCode).toEqual(ErrorCode);
  });
});
