/**
 * Semantic versions `major.minor.patch` as the registry uses them: parse, compare, next minor, and a
 * zero-padded sort key so DynamoDB's byte order equals version order (highest version = one query).
 *
 * Pre-release and build suffixes (`1.0.0-rc.1`, `+sha`) are refused: a registered model version is a
 * release, and a padded sort key for pre-release precedence would be ambiguous. Each part is limited to
 * 0…999999 so it fits the six-digit padding.
 */
import { ValidationError } from "../errors.js";

/** A parsed semantic version. */
export interface Semver {
  readonly major: number;
  readonly minor: number;
  readonly patch: number;
}

/** Largest value of one version part (six digits in the sort key). */
export const maxVersionPart = 999_999;

/** The accepted text form: no leading zeros, no suffix. */
export const semverPattern = /^(0|[1-9]\d{0,5})\.(0|[1-9]\d{0,5})\.(0|[1-9]\d{0,5})$/;

/** True when `text` is a version this registry accepts. */
export function isSemver(text: string): boolean {
  return semverPattern.test(text);
}

/**
 * Parses `major.minor.patch`.
 * @throws ValidationError naming the text when it is not a version this registry accepts.
 * @example parseSemver("1.12.0") // { major: 1, minor: 12, patch: 0 }
 */
export function parseSemver(text: string): Semver {
  const m = semverPattern.exec(text);
  if (!m) {
    throw new ValidationError(
      `"${String(text).slice(0, 40)}" is not a semantic version major.minor.patch (digits only, no leading zeros, each part at most ${maxVersionPart})`,
    );
  }
  return { major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3]) };
}

/** Formats a version as `major.minor.patch`. */
export function formatSemver(v: Semver): string {
  return `${v.major}.${v.minor}.${v.patch}`;
}

/** Orders two versions: negative when `a < b`, zero when equal, positive when `a > b`. */
export function compareSemver(a: string | Semver, b: string | Semver): number {
  const x = typeof a === "string" ? parseSemver(a) : a;
  const y = typeof b === "string" ? parseSemver(b) : b;
  return x.major - y.major || x.minor - y.minor || x.patch - y.patch;
}

/**
 * The next minor version after `highest` (`1.4.2` → `1.5.0`); `0.1.0` when there is none yet.
 * @throws ValidationError when the minor part would exceed {@link maxVersionPart}.
 */
export function nextMinor(highest: string | undefined): string {
  if (highest === undefined) return "0.1.0";
  const v = parseSemver(highest);
  if (v.minor >= maxVersionPart) throw new ValidationError(`no next minor version after ${highest}; register an explicit version`);
  return formatSemver({ major: v.major, minor: v.minor + 1, patch: 0 });
}

/** The sort key form `000001.000012.000000`, whose string order is the version order. */
export function padSemver(text: string): string {
  const v = parseSemver(text);
  return [v.major, v.minor, v.patch].map((n) => String(n).padStart(6, "0")).join(".");
}

/** Inverse of {@link padSemver}. */
export function unpadSemver(padded: string): string {
  return padded
    .split(".")
    .map((p) => String(Number(p)))
    .join(".");
}
