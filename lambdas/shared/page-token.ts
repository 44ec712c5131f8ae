/**
 * Page tokens of the listings: a query's position (DynamoDB's LastEvaluatedKey, or a listing's own cursor)
 * as base64url JSON, followed by an HMAC-SHA256 over the listing's name, its scope (the model, the filters
 * that shape the query) and the position. A token is answered only by the listing and scope that issued it:
 * one from another listing, another model or another filter, or an altered one, is a 400
 * `INVALID_PAGE_TOKEN`, never a read somewhere else.
 *
 * The key is 32 random bytes stored once in the stack's table (item `PAGETOKEN#KEY`), created by the first
 * function that needs it with a conditional put, so every function of the stack signs with the same key and
 * nothing new is deployed or paid for; see docs/security.md ("Page tokens") for why it lives there.
 */
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { InvalidPageTokenError, ServiceUnavailableError } from "./errors.js";
import { resourceNames } from "./env.js";
import { keys } from "./table.js";
import { sendConditional } from "./conditional-write.js";
import { loadDynamo } from "./sdk/dynamodb.js";

/** What a token is bound to: the listing (e.g. `registry.versions`) and its scope (model, filters). */
export interface PageTokenBinding {
  readonly listing: string;
  readonly scope: Readonly<Record<string, string | number | undefined>>;
}

// One key per table: cached per process, keyed by table so tests with isolated tables each get theirs.
const cachedKeys = new Map<string, Promise<Buffer>>();

async function readOrCreateKey(table: string): Promise<Buffer> {
  const { GetCommand, PutCommand, documentClient } = await loadDynamo();
  const read = async () => {
    const res = await documentClient().send(new GetCommand({ TableName: table, Key: keys.pageTokenKey, ConsistentRead: true }));
    return typeof res.Item?.secret === "string" ? Buffer.from(res.Item.secret, "base64") : undefined;
  };
  const found = await read();
  if (found) return found;
  const secret = randomBytes(32);
  const written = await sendConditional(
    new PutCommand({
      TableName: table,
      Item: { ...keys.pageTokenKey, type: "page-token-key", secret: secret.toString("base64"), createdAt: new Date().toISOString() },
      ConditionExpression: "attribute_not_exists(pk)",
    }),
  );
  if (written) return secret;
  // Another function created it first: use theirs, so every function signs alike.
  const theirs = await read();
  if (theirs) return theirs;
  throw new ServiceUnavailableError("the page-token key is being created; send the request again");
}

/** The stack's signing key (read, or created on first use). */
export function signingKey(): Promise<Buffer> {
  const table = resourceNames().table;
  let key = cachedKeys.get(table);
  if (!key) {
    key = readOrCreateKey(table);
    // A failed read is not cached: the next request tries again.
    key.catch(() => cachedKeys.delete(table));
    cachedKeys.set(table, key);
  }
  return key;
}

/** The bytes the signature covers: listing, scope (sorted, undefined left out) and payload. */
function signed(binding: PageTokenBinding, payload: string): string {
  const scope = Object.entries(binding.scope)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => [k, String(v)]);
  return JSON.stringify([binding.listing, scope, payload]);
}

function mac(key: Buffer, binding: PageTokenBinding, payload: string): Buffer {
  return createHmac("sha256", key).update(signed(binding, payload)).digest();
}

/** Seals a position with `key` for `binding` (pure: the key is given). */
export function sealPosition(key: Buffer, position: Record<string, unknown>, binding: PageTokenBinding): string {
  const payload = Buffer.from(JSON.stringify(position)).toString("base64url");
  return `${payload}.${mac(key, binding, payload).toString("base64url")}`;
}

const refused = (binding: PageTokenBinding) =>
  new InvalidPageTokenError(`query.nextToken: not a token issued by this listing (${binding.listing}) for the same model and filters; start again without nextToken`);

/**
 * Opens a token sealed by {@link sealPosition} with the same key and binding (pure: the key is given).
 * @throws InvalidPageTokenError when the token is malformed, altered, sealed for another binding, or its position fails `belongs`.
 */
export function openPosition<T extends Record<string, unknown>>(key: Buffer, token: string, binding: PageTokenBinding, belongs: (position: Readonly<Record<string, unknown>>) => boolean): T {
  const [payload, signature, ...rest] = token.split(".");
  if (!payload || !signature || rest.length > 0) throw refused(binding);
  const expected = mac(key, binding, payload);
  // Compared as text: base64url decoding ignores a final character's unused bits, so comparing decoded bytes
  // would accept several spellings of one signature.
  const given = Buffer.from(signature, "utf8");
  const wanted = Buffer.from(expected.toString("base64url"), "utf8");
  if (given.length !== wanted.length || !timingSafeEqual(given, wanted)) throw refused(binding);
  let position: unknown;
  try {
    position = JSON.parse(Buffer.from(payload, "base64url").toString("utf8"));
  } catch {
    throw refused(binding);
  }
  if (typeof position !== "object" || position === null || Array.isArray(position) || !belongs(position as Record<string, unknown>)) throw refused(binding);
  return position as T;
}

/** Encodes a listing's position as a token signed with the stack's key (null when the listing is complete). */
export async function encodePageToken(position: Record<string, unknown> | undefined, binding: PageTokenBinding): Promise<string | null> {
  return position ? sealPosition(await signingKey(), position, binding) : null;
}

/**
 * Checks a token's signature for this listing and scope and returns the position it carries (undefined for
 * no token). `belongs` is a second check on the position's shape (e.g. the partition it names).
 * @throws InvalidPageTokenError when the token is malformed, altered, or issued by another listing or scope.
 */
export async function decodePageToken<T extends Record<string, unknown> = Record<string, string>>(
  token: string | undefined,
  binding: PageTokenBinding,
  belongs: (position: Readonly<Record<string, unknown>>) => boolean = () => true,
): Promise<T | undefined> {
  if (token === undefined || token === "") return undefined;
  return openPosition<T>(await signingKey(), token, binding, belongs);
}

/** Checks that every attribute of a DynamoDB position is a string (our keys are all strings). */
export const stringKey = (position: Readonly<Record<string, unknown>>): boolean => Object.values(position).every((v) => typeof v === "string");
