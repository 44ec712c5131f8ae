/**
 * Which categories a baseline has seen, over all of them (not only the counted top ones): an exact set up
 * to {@link MEMBERSHIP_EXACT_LIMIT} names, beyond that a Bloom filter with a stated false-positive rate.
 *
 * The filter: m = ⌈−n ln p / (ln 2)²⌉ bits and k = max(1, round(m/n · ln 2)) hash positions per name
 * (Kirsch–Mitzenmacher double hashing gᵢ = h₁ + i·h₂ mod m over two 32-bit FNV-1a variants of the name's
 * UTF-16 code units), which gives a false-positive rate of about p for n names: a category never seen in
 * the baseline is reported as such with probability ≥ 1 − p (`MEMBERSHIP_FALSE_POSITIVE_RATE`, 0.1 %),
 * and a baseline category is never reported as new. Size: about 1.8 bytes per category.
 * Cost: O(k) per lookup, O(n·k) to build.
 */
import { ValidationError } from "../errors.js";

/** Up to this many categories a baseline stores their names; beyond, a Bloom filter. */
export const MEMBERSHIP_EXACT_LIMIT = 10_000;
/** The Bloom filter's false-positive rate (a new category taken for a baseline one). */
export const MEMBERSHIP_FALSE_POSITIVE_RATE = 0.001;

/** A Bloom filter over category names. */
export interface BloomFilter {
  /** Bits (m). */
  readonly bits: number;
  /** Hash positions per name (k). */
  readonly hashes: number;
  /** Names added (n). */
  readonly members: number;
  /** The false-positive rate the filter was sized for. */
  readonly falsePositiveRate: number;
  /** The bit array, little-endian within each byte. */
  readonly data: Uint8Array;
}

function fnv1a(text: string, seed: number): number {
  let h = seed >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  // Final avalanche (murmur3's fmix32): FNV alone leaves the low bits of similar names correlated.
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b) >>> 0;
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}

function positions(filter: { bits: number; hashes: number }, name: string, visit: (bit: number) => boolean | void): boolean {
  const h1 = fnv1a(name, 0x811c9dc5);
  const h2 = fnv1a(name, 0x9747b28c) | 1;
  for (let i = 0; i < filter.hashes; i++) {
    const bit = (h1 + Math.imul(i, h2)) >>> 0;
    if (visit(bit % filter.bits) === false) return false;
  }
  return true;
}

/**
 * A Bloom filter over `names` sized for `count` names at `falsePositiveRate`.
 * @throws {ValidationError} when the rate is not in (0, 1).
 */
export function buildBloomFilter(names: Iterable<string>, count: number, falsePositiveRate: number = MEMBERSHIP_FALSE_POSITIVE_RATE): BloomFilter {
  if (!(falsePositiveRate > 0 && falsePositiveRate < 1)) throw new ValidationError("buildBloomFilter requires a false-positive rate in (0, 1)");
  const n = Math.max(1, count);
  const bits = Math.max(8, Math.ceil((-n * Math.log(falsePositiveRate)) / Math.LN2 ** 2));
  const hashes = Math.max(1, Math.round((bits / n) * Math.LN2));
  const data = new Uint8Array(Math.ceil(bits / 8));
  let members = 0;
  for (const name of names) {
    positions({ bits, hashes }, name, (bit) => {
      data[bit >>> 3] |= 1 << (bit & 7);
    });
    members++;
  }
  return { bits, hashes, members, falsePositiveRate, data };
}

/** True when `name` may be in the filter (false: certainly not). */
export function bloomMayContain(filter: BloomFilter, name: string): boolean {
  return positions(filter, name, (bit) => (filter.data[bit >>> 3] & (1 << (bit & 7))) !== 0);
}
