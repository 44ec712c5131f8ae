/**
 * Dataset versions for lineage. A version's id is the first 16 hex digits of its content's sha256, so
 * the same bytes registered twice are the same version (the second registration returns the first
 * record). Each version may name a parent (in the same dataset, or `name@id` in another), which makes
 * the lineage chain; parents must exist first, so the chain has no cycles.
 */
import { diffDatasetSchemas, type DatasetDiff } from "../core/lifecycle/dataset-diff.js";
import { ConflictError, UnprocessableError } from "../shared/errors.js";
import { recordAudit } from "../shared/audit.js";
import type { Actor } from "../shared/actor.js";
import { parseS3Uri } from "./artifacts.js";
import { fingerprintDataset, type DatasetFormat } from "./dataset-schema.js";
import { getDatasetVersion, parseDatasetRef, putDatasetVersion, requireDatasetVersion, type DatasetVersionRecord } from "./store/datasets.js";

/** Longest lineage chain followed. */
export const maxLineageDepth = 100;

/** Registers a dataset version; `created` is false when the same content was already registered. */
export async function registerDatasetVersion(
  name: string,
  input: { dataUri: string; description?: string; parentVersion?: string; format?: DatasetFormat },
  actor: Actor,
): Promise<{ record: DatasetVersionRecord; created: boolean }> {
  let parentRef: string | undefined;
  if (input.parentVersion) {
    const parent = parseDatasetRef(input.parentVersion, name);
    if (!(await getDatasetVersion(parent.name, parent.version))) {
      throw new UnprocessableError(`parentVersion ${parent.name}@${parent.version} does not exist; register the parent first`);
    }
    parentRef = `${parent.name}@${parent.version}`;
  }
  const facts = await fingerprintDataset(parseS3Uri(input.dataUri), input.format);
  const version = facts.sha256.slice(0, 16);
  if (parentRef === `${name}@${version}`) throw new UnprocessableError(`dataset version ${parentRef} cannot be its own parent`);
  const now = new Date().toISOString();
  const record: DatasetVersionRecord = {
    name,
    version,
    ref: `${name}@${version}`,
    dataUri: input.dataUri,
    description: input.description,
    parentVersion: parentRef,
    ...facts,
    createdAt: now,
    createdBy: actor.caller,
  };
  const written = await putDatasetVersion(record);
  if (!written) {
    const existing = await requireDatasetVersion(name, version);
    if (existing.sha256 !== facts.sha256) {
      throw new ConflictError(`dataset ${name} already has a version ${version} with different content (hash prefix collision)`);
    }
    return { record: existing, created: false };
  }
  await recordAudit({ type: "dataset.registered", actor: actor.caller, target: `datasets/${name}/versions/${version}`, after: record, requestId: actor.requestId });
  return { record, created: true };
}

/** The lineage of a version: itself, its parent, its parent's parent, … up to the root. */
export async function datasetLineage(name: string, version: string): Promise<{ chain: DatasetVersionRecord[]; truncated: boolean }> {
  const chain = [await requireDatasetVersion(name, version)];
  while (chain.length < maxLineageDepth) {
    const parentRef = chain[chain.length - 1].parentVersion;
    if (!parentRef) return { chain, truncated: false };
    const parent = parseDatasetRef(parentRef);
    const found = await getDatasetVersion(parent.name, parent.version);
    if (!found) return { chain, truncated: true };
    chain.push(found);
  }
  return { chain, truncated: chain[chain.length - 1].parentVersion !== undefined };
}

/** Compares two dataset versions (`to` may be `name@id` of another dataset). */
export async function compareDatasetVersions(name: string, from: string, to: string): Promise<DatasetDiff & { fromRef: string; toRef: string }> {
  const a = parseDatasetRef(from, name);
  const b = parseDatasetRef(to, name);
  const [x, y] = await Promise.all([requireDatasetVersion(a.name, a.version), requireDatasetVersion(b.name, b.version)]);
  return { ...diffDatasetSchemas(x, y), fromRef: x.ref, toRef: y.ref };
}
