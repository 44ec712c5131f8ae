/**
 * The test sequencer (test/sequencer.ts): known files longest first, unknown ones before them in vitest's
 * order, each project kept whole and in its place.
 */
import { describe, expect, it } from "vitest";
import { longestFirst, recordedDuration } from "../sequencer.js";

const spec = (project: string, moduleId: string) => ({ project: { name: project }, moduleId });

describe("longestFirst", () => {
  it("starts the longest known files first, unknown files before them, and keeps the projects in order", () => {
    // Prepare: vitest's order (projects by groupOrder, files by size); durations in seconds
    const durations: Record<string, number> = { "/r/a.ts": 5, "/r/b.ts": 80, "/r/c.ts": 20, "/r/u1.ts": 1, "/r/u2.ts": 300 };
    const files = [spec("unit", "/r/u1.ts"), spec("unit", "/r/u2.ts"), spec("integration", "/r/a.ts"), spec("integration", "/r/new.ts"), spec("integration", "/r/b.ts"), spec("integration", "/r/c.ts")];
    // Act
    const ordered = longestFirst(files, (id) => durations[id]);
    // Assess
    expect(ordered.map((f) => `${f.project.name}:${f.moduleId}`)).toEqual(["unit:/r/u2.ts", "unit:/r/u1.ts", "integration:/r/new.ts", "integration:/r/b.ts", "integration:/r/c.ts", "integration:/r/a.ts"]);
  });

  it("reads the recorded table: the slow estimation track record is known, a file that is no test is not", () => {
    const root = new URL("../../", import.meta.url).pathname;
    expect(recordedDuration(`${root}test/integration/performance/estimation-record.test.ts`)).toBeGreaterThan(recordedDuration(`${root}test/integration/local/health.test.ts`) as number);
    expect(recordedDuration(`${root}test/integration/stack.ts`)).toBeUndefined();
  });
});
