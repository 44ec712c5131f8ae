/**
 * Text that is safe to put in an alert a person reads (e-mail, webhook, chat relay).
 *
 * Alert bodies are plain text: a user-supplied value (a category seen in captured data, a feature name, a
 * data URI, a metric name) that carries a line break could forge whole lines ("UPDATE: false positive,
 * log in at https://…"). Every such value therefore goes through {@link userText}: control characters,
 * line and paragraph separators and bidirectional overrides become visible escapes (`\n`, `\u2028`), and
 * the result is cut to a bounded length with an ellipsis, so one value always renders as one short
 * fragment of one line. Lists are capped ({@link cappedList}: "a, b, c and 37 more"). The subject follows
 * SNS's rule (printable ASCII, no line breaks, under 100 characters: {@link subjectLine}), and the whole
 * message is measured in UTF-8 bytes and cut to a budget below SNS's 256 KB ({@link fitMessage}).
 *
 * Pure functions: no I/O, no SDK.
 */

/** Longest rendering of one user-supplied value, in code points (the ellipsis included). */
export const maxValueChars = 80;

/** Longest subject: SNS requires e-mail subjects under 100 characters. */
export const maxSubjectChars = 99;

/** SNS's limit on one message, attributes included (256 KiB). */
export const snsMessageLimitBytes = 256 * 1024;

/**
 * The budget of an alert body: SNS's limit less room for the subject (≤ 99 bytes), the message attributes
 * (five String attributes, names and values each ≤ 128 bytes: under 1.5 KB) and a safety margin.
 */
export const maxBodyBytes = snsMessageLimitBytes - 8 * 1024;

const namedEscapes = new Map<number, string>([
  [0x0a, "\\n"],
  [0x0d, "\\r"],
  [0x09, "\\t"],
  [0x5c, "\\\\"],
]);

/**
 * Whether a code point must not appear raw in alert text: C0 and C1 controls, DEL, line and paragraph
 * separators, bidirectional embeddings/overrides/isolates, zero-width and BOM characters.
 */
export function isUnsafeCodePoint(cp: number): boolean {
  return (
    cp < 0x20 ||
    (cp >= 0x7f && cp <= 0x9f) ||
    cp === 0x2028 ||
    cp === 0x2029 ||
    (cp >= 0x200b && cp <= 0x200f) ||
    (cp >= 0x202a && cp <= 0x202e) ||
    (cp >= 0x2066 && cp <= 0x2069) ||
    cp === 0xfeff ||
    cp === 0x85
  );
}

/** A code point as a visible escape (`\n`, `\u2028`, `\u0007`). */
function escapeCodePoint(cp: number): string {
  return namedEscapes.get(cp) ?? `\\u${cp.toString(16).padStart(4, "0")}`;
}

/**
 * Escapes every unsafe character (and the backslash, so escapes stay unambiguous) as visible text.
 * Lone surrogates become `\ud800`-style escapes too: they cannot be encoded as UTF-8.
 */
export function escapeUnsafe(value: string): string {
  let out = "";
  for (const ch of value) {
    const cp = ch.codePointAt(0) as number;
    if (isUnsafeCodePoint(cp) || cp === 0x5c || (cp >= 0xd800 && cp <= 0xdfff)) out += escapeCodePoint(cp);
    else out += ch;
  }
  return out;
}

/**
 * Cuts text to `max` code points, the last being an ellipsis when anything was cut.
 * @throws RangeError when `max` is below 1
 */
export function cut(value: string, max: number, ellipsis = "…"): string {
  if (max < 1) throw new RangeError("cut requires max of at least 1");
  const points = Array.from(value);
  if (points.length <= max) return value;
  const keep = Math.max(0, max - Array.from(ellipsis).length);
  return points.slice(0, keep).join("") + ellipsis;
}

/**
 * A user-supplied value as it may appear in alert text: any non-string is stringified, unsafe characters
 * are escaped, and the result is cut to `max` code points — never more than {@link maxValueChars}, whatever
 * the caller asks: the one cap on every user string (a note, a FailureReason, a data URI, a job name) in
 * every alert, so no builder can let a long value through by passing a larger `max`.
 * @example userText("zz\n\nUPDATE: false positive") // "zz\\n\\nUPDATE: false positive"
 */
export function userText(value: unknown, max = maxValueChars): string {
  const text = typeof value === "string" ? value : String(value);
  return cut(escapeUnsafe(text), Math.min(max, maxValueChars));
}

/**
 * Text mlwatch composed itself around user values that were each cut with {@link userText} (a summary, an
 * error message, a message attribute holding a validated name): escaped the same way, cut to `max`.
 */
export function composedText(value: string, max: number): string {
  return cut(escapeUnsafe(value), max);
}

/**
 * At most `max` values, each made safe with {@link userText}, joined with ", " and followed by
 * "and N more" when the list was longer.
 * @example cappedList(["a", "b", "c", "d"], 2) // "a, b and 2 more"
 */
export function cappedList(values: readonly unknown[], max = 5, valueMax = maxValueChars): string {
  const shown = values.slice(0, Math.max(0, max)).map((v) => userText(v, valueMax));
  const rest = values.length - shown.length;
  if (rest <= 0) return shown.join(", ");
  if (shown.length === 0) return `${rest} value${rest === 1 ? "" : "s"}`;
  return `${shown.join(", ")} and ${rest} more`;
}

/**
 * An SNS subject: printable ASCII only (anything else becomes `?`, controls are escaped first), cut to
 * {@link maxSubjectChars} with "...".
 */
export function subjectLine(value: string): string {
  const ascii = escapeUnsafe(value).replace(/[^\x20-\x7e]/g, "?");
  const trimmed = ascii.trim() || "(no subject)";
  return cut(trimmed, maxSubjectChars, "...");
}

const encoder = new TextEncoder();

/** The UTF-8 length of a string in bytes. */
export function utf8Bytes(value: string): number {
  return encoder.encode(value).length;
}

/** The longest prefix of `value` whose UTF-8 encoding fits in `bytes`, never splitting a code point. */
export function utf8Prefix(value: string, bytes: number): string {
  if (bytes <= 0) return "";
  if (utf8Bytes(value) <= bytes) return value;
  let used = 0;
  let end = 0;
  for (const ch of value) {
    const size = utf8Bytes(ch);
    if (used + size > bytes) break;
    used += size;
    end += ch.length;
  }
  return value.slice(0, end);
}

/**
 * The body cut, at a line boundary where possible, so its UTF-8 encoding fits in `maxBytes`; a cut body
 * ends with a line saying so and where the full detail is.
 * @param where where the full detail is (the report URI), named in the closing line
 * @throws RangeError when `maxBytes` cannot hold even the closing line
 */
export function fitMessage(body: string, maxBytes = maxBodyBytes, where = "the linked report"): string {
  if (utf8Bytes(body) <= maxBytes) return body;
  const closing = `\n\n[message cut to fit the ${Math.floor(maxBytes / 1024)} KB alert limit; the full detail is in ${composedText(where, 200)}]`;
  const room = maxBytes - utf8Bytes(closing);
  if (room < 0) throw new RangeError(`fitMessage requires maxBytes of at least ${utf8Bytes(closing)}`);
  let head = utf8Prefix(body, room);
  const lastBreak = head.lastIndexOf("\n");
  if (lastBreak > head.length / 2) head = head.slice(0, lastBreak);
  return head + closing;
}

const htmlEntities: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/**
 * Text for an HTML page (element content or a quoted attribute value): markup characters as entities, and
 * control, bidirectional and invisible characters (NUL, ESC, C1, U+202E, zero-width, BOM) and lone
 * surrogates shown as visible `\u202e` escapes, so a category value cannot reorder or hide what the page
 * shows next to it. Line breaks and tabs are kept: HTML renders them as spaces. The one escape of every
 * page the server renders (drift report, landing page, API reference).
 * @example escapeHtmlVisible("a\u202e<b>") // "a\\u202e&lt;b&gt;"
 */
export function escapeHtmlVisible(value: unknown): string {
  const text = typeof value === "string" ? value : String(value);
  let out = "";
  for (const ch of text) {
    const cp = ch.codePointAt(0) as number;
    if ((isUnsafeCodePoint(cp) && cp !== 0x0a && cp !== 0x0d && cp !== 0x09) || (cp >= 0xd800 && cp <= 0xdfff)) out += `\\u${cp.toString(16).padStart(4, "0")}`;
    else out += htmlEntities[ch] ?? ch;
  }
  return out;
}
