/**
 * `Idempotency-Key` support for every POST: a pipeline that retries a request after a timeout gets the
 * first answer again instead of a second registration or a double-counted batch.
 *
 * The first request with a key claims it with a conditional write (state `pending`); when it answers with
 * a status below 500 the answer is stored for 24 hours (TTL). A retry with the same key and the same body
 * gets the stored answer (header `idempotent-replayed: true`); the same key with a different body is a 422;
 * a retry while the first is still running is a 409. A failed (5xx) first attempt releases the key.
 *
 * "The same body" means the same JSON value: the fingerprint is taken over a canonical form (keys sorted,
 * no whitespace), so a client that re-serialises its request differently still gets its first answer.
 * A claim that is still pending expires when the first attempt can no longer be running: the function's
 * remaining time (Lambda context) plus a margin, or a fixed bound off Lambda — a timed-out invocation
 * therefore blocks its key for at most a minute or so, not a day.
 */
import { createHash } from "node:crypto";
import type { MiddlewareHandler } from "hono";
import { requireEnv, EnvName } from "./env.js";
import { keys } from "./table.js";
import { ErrorCode, IdempotencyInProgressError, UnprocessableError, ValidationError } from "./errors.js";
import { sendConditional } from "./conditional-write.js";
import { loadDynamo } from "./sdk/dynamodb.js";

const retentionSeconds = 24 * 3600;
/** Added to the function's remaining time before a pending claim may be taken over. */
export const pendingMarginSeconds = 30;
/** Off Lambda (local server, tests) a pending claim lasts this long: the API functions' 29 s timeout. */
export const localPendingSeconds = 29;
const maxStoredBody = 350_000;
/** What an `Idempotency-Key` may be (also the OpenAPI document's header schema). */
export const idempotencyKeyPattern = /^[A-Za-z0-9._:-]{1,128}$/;

/** The middleware; a no-op for requests without the header or that are not POSTs. */
export function idempotency(): MiddlewareHandler {
  return async (c, next) => {
    const key = c.req.header("idempotency-key");
    if (c.req.method !== "POST" || key === undefined) {
      await next();
      return;
    }
    if (!idempotencyKeyPattern.test(key)) {
      throw new ValidationError("header Idempotency-Key must be 1 to 128 characters of letters, digits, '.', '_', ':' or '-'");
    }
    const { DeleteCommand, GetCommand, PutCommand, UpdateCommand, documentClient } = await loadDynamo();
    const caller = (c.get("caller") as string | undefined) ?? "local";
    const body = await c.req.text();
    const fingerprint = createHash("sha256").update(`${c.req.method} ${c.req.path}\n${await canonicalBody(body, () => c.req.json())}`).digest("hex");
    const table = requireEnv(EnvName.table);
    const itemKey = keys.idempotency(createHash("sha256").update(caller).digest("hex").slice(0, 16), key);
    const now = Math.floor(Date.now() / 1000);
    const claimed = await sendConditional(
      new PutCommand({
        TableName: table,
        Item: { ...itemKey, state: "pending", fingerprint, expiresAt: now + pendingSeconds(c.env?.lambdaContext) },
        ConditionExpression: "attribute_not_exists(pk) OR expiresAt < :now",
        ExpressionAttributeValues: { ":now": now },
      }),
    );
    if (!claimed) {
      const existing = (await documentClient().send(new GetCommand({ TableName: table, Key: itemKey, ConsistentRead: true }))).Item;
      if (!existing) throw new IdempotencyInProgressError("a request with this Idempotency-Key is still in progress; retry shortly");
      if (existing.fingerprint !== fingerprint) {
        throw new UnprocessableError("Idempotency-Key was already used for a different request; use a new key for a new request");
      }
      if (existing.state !== "complete") {
        throw new IdempotencyInProgressError("a request with this Idempotency-Key is still in progress; retry shortly");
      }
      return new Response(existing.body as string, {
        status: existing.status as number,
        headers: { "content-type": "application/json", "idempotent-replayed": "true" },
      });
    }

    await next();

    const status = c.res.status;
    if (status >= 500) {
      await documentClient().send(new DeleteCommand({ TableName: table, Key: itemKey }));
      return;
    }
    const text = await c.res.clone().text();
    // An answer too large to replay from the table keeps the claim, so a retry is refused rather than repeated.
    const tooLarge = text.length > maxStoredBody;
    const stored = tooLarge
      ? { status: 409, body: JSON.stringify({ error: { code: ErrorCode.conflict, message: "this Idempotency-Key was already processed; its answer is too large to replay" } }) }
      : { status, body: text };
    await documentClient().send(
      new UpdateCommand({
        TableName: table,
        Key: itemKey,
        UpdateExpression: "SET #s = :s, #st = :st, body = :b, expiresAt = :e",
        ExpressionAttributeNames: { "#s": "state", "#st": "status" },
        ExpressionAttributeValues: { ":s": "complete", ":st": stored.status, ":b": stored.body, ":e": Math.floor(Date.now() / 1000) + retentionSeconds },
      }),
    );
  };
}

/** How long a pending claim holds: the invocation's remaining time plus a margin, or the local bound. */
export function pendingSeconds(lambdaContext?: { getRemainingTimeInMillis?: () => number }): number {
  const remainingMs = typeof lambdaContext?.getRemainingTimeInMillis === "function" ? lambdaContext.getRemainingTimeInMillis() : undefined;
  const running = remainingMs !== undefined && Number.isFinite(remainingMs) && remainingMs > 0 ? Math.ceil(remainingMs / 1000) : localPendingSeconds;
  return running + pendingMarginSeconds;
}

/**
 * The body as canonical JSON (object keys sorted, no whitespace) when it parses, else the text itself.
 * The body's depth is already bounded at parse time (json-limits.ts), so the recursion is shallow.
 */
export async function canonicalBody(text: string, parse: () => Promise<unknown>): Promise<string> {
  if (text.trim() === "") return "";
  let value: unknown;
  try {
    value = await parse();
  } catch {
    return `raw:${text}`;
  }
  return `json:${canonicalJson(value)}`;
}

/** Canonical JSON of a parsed value: object keys in code-point order, no whitespace. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`);
    return `{${entries.join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}
