/**
 * Things worth telling a person watching the local server as they happen — an alert raised or repeated, an
 * event recorded or relayed to its handler. A process-wide sink that only local mode sets (`mlwatch serve` prints to
 * its console); on Lambda no sink is set and a notice costs one comparison. A sink that throws is ignored:
 * telling never breaks the work being told about.
 */

/** One notice. User strings in it (model, summary) are printed as data by the sink. */
export type Notice =
  | { readonly kind: "alert"; readonly alertId: string; readonly type: string; readonly model?: string | undefined; readonly severity: string; readonly summary: string; readonly repeat: boolean; readonly delivery: string }
  | { readonly kind: "event"; readonly source: string; readonly detailType: string; readonly model?: string | undefined; readonly rule?: string | undefined };

let sink: ((notice: Notice) => void) | undefined;

/** Sets (or with `undefined` removes) the sink. */
export function setNoticeSink(next: ((notice: Notice) => void) | undefined): void {
  sink = next;
}

/** Tells the sink, if any. */
export function notify(notice: Notice): void {
  if (sink === undefined) return;
  try {
    sink(notice);
  } catch {
    // a console that cannot print must not fail the request
  }
}
