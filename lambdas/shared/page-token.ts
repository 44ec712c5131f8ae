/**
 * Page tokens of the DynamoDB listings: a query's LastEvaluatedKey as opaque base64url JSON, and back —
 * only when it is a key the same listing could have returned (a tampered or foreign token is a 400, never a
 * read somewhere else).
 */
import { ValidationError } from "./errors.js";

/** Encodes a query's LastEvaluatedKey as an opaque token (null when the listing is complete). */
export function encodePageToken(key: Record<string, unknown> | undefined): string | null {
  return key ? Buffer.from(JSON.stringify(key)).toString("base64url") : null;
}

/**
 * Decodes a token made by {@link encodePageToken}: a JSON object of string attributes that `belongs` accepts
 * as a key of this listing. Undefined for no token.
 * @throws ValidationError when the token is malformed or belongs to another listing.
 */
export function decodePageToken(token: string | undefined, belongs: (key: Readonly<Record<string, string>>) => boolean): Record<string, string> | undefined {
  if (token === undefined || token === "") return undefined;
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(token, "base64url").toString("utf8"));
  } catch {
    key = undefined;
  }
  const valid =
    typeof key === "object" && key !== null && !Array.isArray(key) && Object.values(key).every((v) => typeof v === "string") && belongs(key as Record<string, string>);
  if (!valid) throw new ValidationError("query.nextToken: not a token returned by this listing");
  return key as Record<string, string>;
}
