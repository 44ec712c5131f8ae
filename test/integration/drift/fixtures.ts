/**
 * Test data for the drift integration tests: seeded numeric/categorical rows, writers for CSV, JSON Lines,
 * a minimal Parquet file (uncompressed, PLAIN, REQUIRED DOUBLE / UTF8 columns, written here with the
 * Thrift compact protocol so the tests need no Parquet writer dependency), and SageMaker data-capture lines.
 */
import { PutObjectCommand } from "@aws-sdk/client-s3";
import { s3Client } from "../../../lambdas/shared/aws.js";

/** A seeded xorshift32 generator of uniforms in (0, 1). */
export function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return (x + 0.5) / 4294967296;
  };
}

/** A standard normal from two uniforms (Box–Muller). */
export function normal(u: () => number): number {
  return Math.sqrt(-2 * Math.log(u())) * Math.cos(2 * Math.PI * u());
}

/** Rows with numeric features age, income and a categorical plan; `shift` moves income and the plan mix. */
export function makeRows(n: number, seed: number, shift = 0): Array<{ age: number; income: number; plan: string }> {
  const u = rng(seed);
  const rows = [];
  for (let i = 0; i < n; i++) {
    const age = Math.round((40 + 10 * normal(u)) * 10) / 10;
    const income = Math.round((50_000 + 12_000 * normal(u) + shift * 30_000) * 100) / 100;
    const r = u();
    const plan = shift > 0 ? (r < 0.2 ? "basic" : r < 0.4 ? "pro" : "enterprise") : r < 0.6 ? "basic" : r < 0.9 ? "pro" : "enterprise";
    rows.push({ age, income, plan });
  }
  return rows;
}

export function toCsv(rows: Array<Record<string, unknown>>): string {
  const cols = Object.keys(rows[0]);
  return [cols.join(","), ...rows.map((r) => cols.map((c) => String(r[c])).join(","))].join("\n") + "\n";
}

export function toJsonLines(rows: Array<Record<string, unknown>>): string {
  return rows.map((r) => JSON.stringify(r)).join("\n") + "\n";
}

export async function putObject(bucket: string, key: string, body: string | Uint8Array): Promise<string> {
  await s3Client().send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
  lastWriteAt = Date.now();
  return `s3://${bucket}/${key}`;
}

/** When putObject last had an answer: the object's LastModified is no later (same machine, same clock). */
let lastWriteAt = 0;

/**
 * Waits until the clock is in a later whole second than the last putObject, and not at all when it already
 * is. S3's LastModified has one-second resolution, so a monitor pass takes only objects of past seconds (an
 * object written later in the current second would share its LastModified with what the pass covered):
 * objects just written are seen by a pass only once their second is over. A clock given to the pass cannot
 * replace this wait — a cutoff in the current second would pass over objects written after the pass in
 * that same second — so the tests wait only when they wrote something in the current second.
 */
export async function untilWritesSettled(): Promise<void> {
  const wait = Math.floor(lastWriteAt / 1000) * 1000 + 1000 - Date.now();
  if (wait > 0) await new Promise((r) => setTimeout(r, wait + 5));
}

// ---------------------------------------------------------------------------- minimal Parquet writer

class Compact {
  readonly bytes: number[] = [];
  private last: number[] = [0];
  varint(n: bigint | number): void {
    let v = BigInt(n);
    while (v >= 0x80n) {
      this.bytes.push(Number((v & 0x7fn) | 0x80n));
      v >>= 7n;
    }
    this.bytes.push(Number(v));
  }
  zigzag(n: number | bigint): void {
    const v = BigInt(n);
    this.varint(v >= 0n ? v << 1n : ((-v) << 1n) - 1n);
  }
  field(id: number, type: number): void {
    const delta = id - this.last[this.last.length - 1];
    if (delta > 0 && delta <= 15) this.bytes.push((delta << 4) | type);
    else {
      this.bytes.push(type);
      this.zigzag(id);
    }
    this.last[this.last.length - 1] = id;
  }
  i32(id: number, v: number): void {
    this.field(id, 5);
    this.zigzag(v);
  }
  i64(id: number, v: number): void {
    this.field(id, 6);
    this.zigzag(v);
  }
  str(id: number, s: string): void {
    this.field(id, 8);
    const b = Buffer.from(s, "utf8");
    this.varint(b.length);
    this.bytes.push(...b);
  }
  begin(id?: number): void {
    if (id !== undefined) this.field(id, 12);
    this.last.push(0);
  }
  end(): void {
    this.bytes.push(0);
    this.last.pop();
  }
  list(id: number, elemType: number, size: number): void {
    this.field(id, 9);
    if (size < 15) this.bytes.push((size << 4) | elemType);
    else {
      this.bytes.push(0xf0 | elemType);
      this.varint(size);
    }
  }
  listStr(s: string): void {
    const b = Buffer.from(s, "utf8");
    this.varint(b.length);
    this.bytes.push(...b);
  }
}

/** A Parquet file with REQUIRED columns: numbers as DOUBLE, strings as UTF8 BYTE_ARRAY. */
export function toParquet(rows: Array<Record<string, number | string>>): Uint8Array {
  const names = Object.keys(rows[0]);
  const types = names.map((n) => (typeof rows[0][n] === "number" ? "double" : "string"));
  const chunks: Buffer[] = [Buffer.from("PAR1")];
  let offset = 4;
  const metas: Array<{ name: string; type: string; offset: number; size: number }> = [];
  names.forEach((name, c) => {
    const data =
      types[c] === "double"
        ? (() => {
            const b = Buffer.alloc(rows.length * 8);
            rows.forEach((r, i) => b.writeDoubleLE(r[name] as number, i * 8));
            return b;
          })()
        : Buffer.concat(
            rows.map((r) => {
              const s = Buffer.from(String(r[name]), "utf8");
              const len = Buffer.alloc(4);
              len.writeUInt32LE(s.length);
              return Buffer.concat([len, s]);
            }),
          );
    const h = new Compact();
    h.begin();
    h.i32(1, 0);
    h.i32(2, data.length);
    h.i32(3, data.length);
    h.begin(5);
    h.i32(1, rows.length);
    h.i32(2, 0);
    h.i32(3, 3);
    h.i32(4, 3);
    h.end();
    h.end();
    const header = Buffer.from(h.bytes);
    metas.push({ name, type: types[c], offset, size: header.length + data.length });
    chunks.push(header, data);
    offset += header.length + data.length;
  });
  const m = new Compact();
  m.begin();
  m.i32(1, 1);
  m.list(2, 12, names.length + 1);
  m.begin();
  m.str(4, "schema");
  m.i32(5, names.length);
  m.end();
  names.forEach((name, c) => {
    m.begin();
    m.i32(1, types[c] === "double" ? 5 : 6);
    m.i32(3, 0);
    m.str(4, name);
    if (types[c] === "string") m.i32(6, 0);
    m.end();
  });
  m.i64(3, rows.length);
  m.list(4, 12, 1);
  m.begin();
  m.list(1, 12, names.length);
  for (const meta of metas) {
    m.begin();
    m.i64(2, meta.offset);
    m.begin(3);
    m.i32(1, meta.type === "double" ? 5 : 6);
    m.list(2, 5, 1);
    m.zigzag(0);
    m.list(3, 8, 1);
    m.listStr(meta.name);
    m.i32(4, 0);
    m.i64(5, rows.length);
    m.i64(6, meta.size);
    m.i64(7, meta.size);
    m.i64(9, meta.offset);
    m.end();
    m.end();
  }
  m.i64(2, metas.reduce((s, x) => s + x.size, 0));
  m.i64(3, rows.length);
  m.end();
  m.str(6, "mlwatch test writer");
  m.end();
  const footer = Buffer.from(m.bytes);
  const len = Buffer.alloc(4);
  len.writeUInt32LE(footer.length);
  chunks.push(footer, len, Buffer.from("PAR1"));
  return new Uint8Array(Buffer.concat(chunks));
}

// ---------------------------------------------------------------------------- SageMaker data capture

/** One data-capture line for an invocation with the given payload. */
export function captureLine(data: string, contentType: string, encoding: "CSV" | "JSON" | "BASE64", i: number): string {
  return JSON.stringify({
    captureData: {
      endpointInput: { observedContentType: contentType, mode: "INPUT", data, encoding },
      endpointOutput: { observedContentType: "text/csv", mode: "OUTPUT", data: "0.5", encoding: "CSV" },
    },
    eventMetadata: { eventId: `e-${i}`, inferenceTime: new Date().toISOString() },
    eventVersion: "0",
  });
}

/** The SageMaker capture key for an hour: `{prefix}/{endpoint}/{variant}/yyyy/mm/dd/hh/{name}.jsonl`. */
export function captureKey(prefix: string, when: Date, name: string): string {
  const p = (n: number) => String(n).padStart(2, "0");
  return `${prefix}/churn-endpoint/AllTraffic/${when.getUTCFullYear()}/${p(when.getUTCMonth() + 1)}/${p(when.getUTCDate())}/${p(when.getUTCHours())}/${name}.jsonl`;
}
