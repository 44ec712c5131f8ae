/**
 * Differences between two dataset versions' schemas and sizes: columns added and removed, columns
 * whose inferred type or nullability changed, and row counts. Column order is ignored.
 */

/** One column of an inferred schema. */
export interface ColumnSchema {
  readonly name: string;
  readonly type: string;
  readonly nullable: boolean;
}

/** What {@link diffDatasetSchemas} compares. */
export interface DatasetShape {
  readonly version: string;
  readonly rowCount: number;
  readonly sizeBytes: number;
  readonly columns: readonly ColumnSchema[];
}

/** The answer of a dataset comparison. */
export interface DatasetDiff {
  readonly from: string;
  readonly to: string;
  readonly columnsAdded: ColumnSchema[];
  readonly columnsRemoved: ColumnSchema[];
  readonly typeChanges: Array<{ name: string; from: string; to: string }>;
  readonly nullabilityChanges: Array<{ name: string; from: boolean; to: boolean }>;
  readonly rowCount: { from: number; to: number; delta: number; relative: number | null };
  readonly sizeBytes: { from: number; to: number; delta: number };
  readonly identicalSchema: boolean;
}

/** Compares `from` with `to`. */
export function diffDatasetSchemas(from: DatasetShape, to: DatasetShape): DatasetDiff {
  const before = new Map(from.columns.map((c) => [c.name, c]));
  const after = new Map(to.columns.map((c) => [c.name, c]));
  const columnsAdded = to.columns.filter((c) => !before.has(c.name));
  const columnsRemoved = from.columns.filter((c) => !after.has(c.name));
  const typeChanges: DatasetDiff["typeChanges"] = [];
  const nullabilityChanges: DatasetDiff["nullabilityChanges"] = [];
  for (const c of to.columns) {
    const old = before.get(c.name);
    if (!old) continue;
    if (old.type !== c.type) typeChanges.push({ name: c.name, from: old.type, to: c.type });
    if (old.nullable !== c.nullable) nullabilityChanges.push({ name: c.name, from: old.nullable, to: c.nullable });
  }
  const delta = to.rowCount - from.rowCount;
  return {
    from: from.version,
    to: to.version,
    columnsAdded,
    columnsRemoved,
    typeChanges,
    nullabilityChanges,
    rowCount: { from: from.rowCount, to: to.rowCount, delta, relative: from.rowCount === 0 ? null : delta / from.rowCount },
    sizeBytes: { from: from.sizeBytes, to: to.sizeBytes, delta: to.sizeBytes - from.sizeBytes },
    identicalSchema: columnsAdded.length === 0 && columnsRemoved.length === 0 && typeChanges.length === 0 && nullabilityChanges.length === 0,
  };
}
