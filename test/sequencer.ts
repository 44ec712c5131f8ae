/**
 * The order test files start in: within each project, files missing from test/durations.json first (in
 * vitest's own order: unknown first, then larger files), then the known ones longest first. A pool of N
 * workers takes the next file as soon as one is free, so starting the longest first keeps a slow file from
 * starting last and running alone at the end of the layer (vitest's default order, by file size on a fresh
 * clone, started the small but slow race and estimation files last). The table is refreshed with
 * `node scripts/test-durations.mjs` after a full run; only the relative durations matter.
 */
import { readFileSync } from "node:fs";
import { relative } from "node:path";
import { BaseSequencer, type TestSpecification } from "vitest/node";

const root = new URL("..", import.meta.url).pathname;
const durations: Readonly<Record<string, number>> = JSON.parse(readFileSync(new URL("durations.json", import.meta.url), "utf8"));

/** The recorded duration of a test file in seconds; undefined when the table does not know it. */
export function recordedDuration(moduleId: string): number | undefined {
  return durations[relative(root, moduleId)];
}

/**
 * Orders files as described above, keeping vitest's order of the projects (groupOrder) and of files the
 * table does not know.
 */
export function longestFirst<T extends { moduleId: string; project: { name: string } }>(files: readonly T[], duration: (moduleId: string) => number | undefined = recordedDuration): T[] {
  const projects = new Map<string, T[]>();
  for (const f of files) {
    const list = projects.get(f.project.name) ?? [];
    list.push(f);
    projects.set(f.project.name, list);
  }
  const out: T[] = [];
  for (const list of projects.values()) {
    const unknown = list.filter((f) => duration(f.moduleId) === undefined);
    const known = list.filter((f) => duration(f.moduleId) !== undefined).sort((a, b) => (duration(b.moduleId) as number) - (duration(a.moduleId) as number));
    out.push(...unknown, ...known);
  }
  return out;
}

/** vitest's sequencer with {@link longestFirst} applied to its order. */
export class LongestFirstSequencer extends BaseSequencer {
  public override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    return longestFirst(await super.sort(files));
  }
}
