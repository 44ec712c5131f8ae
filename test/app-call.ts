/** Calling a host app in process (`app.request()`), shared by the integration stack and the unit layer's in-process app. */

/** What a call answered: the status, the parsed JSON body (or the text), the headers. */
export interface AppAnswer {
  status: number;
  body: any;
  headers: Headers;
}

/** Sends a request to `app`; a non-string body is sent as JSON (with its content type unless one is given). */
export async function callApp(
  app: { request(path: string, init: RequestInit): Response | Promise<Response> },
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<AppAnswer> {
  const init: RequestInit = { method, headers: { ...headers } };
  if (body !== undefined) {
    init.body = typeof body === "string" ? body : JSON.stringify(body);
    (init.headers as Record<string, string>)["content-type"] ??= "application/json";
  }
  const res = await app.request(path, init);
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON: keep the text
  }
  return { status: res.status, body: parsed, headers: res.headers };
}
