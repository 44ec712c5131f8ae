/**
 * Integration file order: the repeated race tests first, then vitest's usual order. They are the long pole
 * of the layer (100 runs each) and the only files whose duration grows with the emulator's load: run first,
 * they meet a fresh emulator and an unloaded worker instead of one that has served every other file.
 */
import { BaseSequencer, type TestSpecification } from "vitest/node";

const isRace = (spec: TestSpecification): boolean => /races\.test\.ts$/.test(spec.moduleId);

export class RacesFirstSequencer extends BaseSequencer {
  public override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    return [...sorted.filter(isRace), ...sorted.filter((f) => !isRace(f))];
  }
}
