/**
 * A minimal Parquet writer for test fixtures (no Parquet writer is installed): one row group, one
 * uncompressed PLAIN data page (v1) per column, REQUIRED or OPTIONAL flat columns of INT64, DOUBLE,
 * BOOLEAN or UTF8 strings. Footer and page headers in Thrift compact protocol, per the Parquet spec.
 */

type Kind = "int64" | "double" | "boolean" | "string";
export interface FixtureColumn {
  name: string;
  kind: Kind;
  values: Array<number | bigint | boolean | string | null>;
}

class Out {
  bytes: number[] = [];
  byte(b: number) {
    this.bytes.push(b & 0xff);
  }
  varint(n: bigint) {
    let v = n;
    do {
      let b = Number(v & 0x7fn);
      v >>= 7n;
      if (v > 0n) b |= 0x80;
      this.byte(b);
    } while (v > 0n);
  }
  zigzag(n: number | bigint) {
    const v = BigInt(n);
    this.varint(v >= 0n ? v << 1n : ((-v) << 1n) - 1n);
  }
  raw(a: ArrayLike<number>) {
    for (let i = 0; i < a.length; i++) this.byte(a[i]);
  }
}

// Thrift compact: each struct is a list of [fieldId, type, value]; types 5 i32, 6 i64, 8 binary, 9 list, 12 struct.
type Field = [number, 5 | 6, number | bigint] | [number, 8, string] | [number, 9, 5 | 8 | 12, unknown[]] | [number, 12, Field[]];

function struct(out: Out, fields: Field[]) {
  let last = 0;
  for (const f of fields) {
    const [id, type] = f;
    out.byte(((id - last) << 4) | type);
    last = id;
    value(out, type, f[2] as never, f[3] as never);
  }
  out.byte(0);
}

function value(out: Out, type: number, v: unknown, items?: unknown[]) {
  if (type === 5 || type === 6) out.zigzag(v as number);
  else if (type === 8) {
    const b = Buffer.from(v as string);
    out.varint(BigInt(b.length));
    out.raw(b);
  } else if (type === 12) struct(out, v as Field[]);
  else if (type === 9) {
    const elem = v as number;
    const list = items as unknown[];
    out.byte(list.length < 15 ? (list.length << 4) | elem : 0xf0 | elem);
    if (list.length >= 15) out.varint(BigInt(list.length));
    for (const item of list) value(out, elem, item);
  }
}

const physical = { int64: 2, double: 5, boolean: 0, string: 6 } as const;

function plain(kind: Kind, values: Array<number | bigint | boolean | string>): number[] {
  const out: number[] = [];
  if (kind === "boolean") {
    for (let i = 0; i < values.length; i += 8) {
      let b = 0;
      for (let j = 0; j < 8 && i + j < values.length; j++) if (values[i + j]) b |= 1 << j;
      out.push(b);
    }
    return out;
  }
  for (const v of values) {
    const buf = Buffer.alloc(kind === "string" ? 4 + Buffer.byteLength(v as string) : 8);
    if (kind === "int64") buf.writeBigInt64LE(BigInt(v as number));
    else if (kind === "double") buf.writeDoubleLE(v as number);
    else {
      buf.writeUInt32LE(Buffer.byteLength(v as string));
      buf.write(v as string, 4);
    }
    out.push(...buf);
  }
  return out;
}

/** Definition levels (bit width 1) as RLE runs with a 4-byte length prefix. */
function definitionLevels(values: unknown[]): number[] {
  const runs = new Out();
  let i = 0;
  while (i < values.length) {
    const defined = values[i] !== null ? 1 : 0;
    let n = 0;
    while (i < values.length && (values[i] !== null ? 1 : 0) === defined) {
      i++;
      n++;
    }
    runs.varint(BigInt(n) << 1n);
    runs.byte(defined);
  }
  const len = Buffer.alloc(4);
  len.writeUInt32LE(runs.bytes.length);
  return [...len, ...runs.bytes];
}

/** Writes a Parquet file holding `columns` (all of the same length). */
export function writeParquet(columns: FixtureColumn[]): Uint8Array {
  const rows = columns[0]?.values.length ?? 0;
  const file = new Out();
  file.raw(Buffer.from("PAR1"));
  const chunks: Field[][] = [];
  for (const c of columns) {
    const optional = c.values.some((v) => v === null);
    const present = c.values.filter((v) => v !== null) as Array<number | bigint | boolean | string>;
    const data = [...(optional ? definitionLevels(c.values) : []), ...plain(c.kind, present)];
    const header = new Out();
    struct(header, [
      [1, 5, 0],
      [2, 5, data.length],
      [3, 5, data.length],
      [5, 12, [[1, 5, rows], [2, 5, 0], [3, 5, 3], [4, 5, 3]]],
    ]);
    const offset = file.bytes.length;
    file.raw(header.bytes);
    file.raw(data);
    const size = header.bytes.length + data.length;
    chunks.push([
      [2, 6, BigInt(offset)],
      [3, 12, [[1, 5, physical[c.kind]], [2, 9, 5, [0, 3]], [3, 9, 8, [c.name]], [4, 5, 0], [5, 6, BigInt(rows)], [6, 6, BigInt(size)], [7, 6, BigInt(size)], [9, 6, BigInt(offset)]]],
    ]);
  }
  const schema: Field[][] = [
    [[4, 8, "schema"], [5, 5, columns.length]],
    ...columns.map((c): Field[] => {
      const optional = c.values.some((v) => v === null);
      const f: Field[] = [[1, 5, physical[c.kind]], [3, 5, optional ? 1 : 0], [4, 8, c.name]];
      if (c.kind === "string") f.push([6, 5, 0]);
      return f;
    }),
  ];
  const footer = new Out();
  struct(footer, [
    [1, 5, 1],
    [2, 9, 12, schema],
    [3, 6, BigInt(rows)],
    [4, 9, 12, [[[1, 9, 12, chunks], [2, 6, BigInt(file.bytes.length)], [3, 6, BigInt(rows)]]]],
    [6, 8, "mlwatch test fixture"],
  ]);
  file.raw(footer.bytes);
  const len = Buffer.alloc(4);
  len.writeUInt32LE(footer.bytes.length);
  file.raw(len);
  file.raw(Buffer.from("PAR1"));
  return Uint8Array.from(file.bytes);
}
