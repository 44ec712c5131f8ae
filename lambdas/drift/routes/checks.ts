/**
 * Drift check routes: run a check (inline → the report at once, S3 → the worker), list, read, the HTML report.
 */
import { measureUsage } from "../../shared/usage.js";
import { ConflictError, NotFoundError } from "../../shared/errors.js";
import { intQuery, type Routes } from "../../shared/http.js";
import { completeCheck } from "../check.js";
import { driftContract } from "../contract.js";
import { dispatchJob } from "../dispatch.js";
import { loadRecords } from "../ingest.js";
import { profileKinds } from "../profile.js";
import { newId } from "../store/items.js";
import { getText, reportHtmlKey, reportKey, violationsKey } from "../store/objects.js";
import { loadBaseline } from "../store/active-baseline.js";
import { getCheck, listChecks, putCheck, updateCheck, type CheckRecord } from "../store/checks.js";
import { failureMessage } from "../worker.js";
import { checkInlineSize, presentCheck, validateThresholds } from "./present.js";

/** Adds the drift check routes. */
export function addCheckRoutes(routes: Routes): void {
  routes.openapi(
    driftContract.routes.checkDrift,
    async (c) => {
      const { model } = c.req.valid("param");
      const body = c.req.valid("json");
      validateThresholds(body.thresholds);
      const caller = c.get("caller");
      const requestId = c.get("requestId");
      const now = new Date();
      const checkId = newId(now);
      if (body.dataUri !== undefined) {
        // Resolve the baseline now: a missing or unready baseline is the caller's error, answered at once.
        const { record } = await loadBaseline(model, body.baselineId);
        await putCheck({
          model,
          checkId,
          status: "pending",
          source: "s3",
          baselineId: record.baselineId,
          createdAt: now.toISOString(),
          createdBy: caller,
          dataUri: body.dataUri,
          thresholds: body.thresholds,
        });
        try {
          await dispatchJob({ kind: "check", model, checkId, requestId });
        } catch (err) {
          await updateCheck(model, checkId, { status: "failed", error: `could not start the worker: ${failureMessage(err)}` });
          throw err;
        }
        c.header("location", `/models/${model}/drift-checks/${checkId}`);
        return c.json({ checkId, model, status: "pending", baselineId: record.baselineId, dataUri: body.dataUri, createdAt: now.toISOString() }, 202);
      }
      checkInlineSize(c, body.records);
      const { record, stored } = await measureUsage(async () => {
        const { record: baseline, profile } = await loadBaseline(model, body.baselineId);
        const data = loadRecords(body.records!, { kinds: profileKinds(profile), onlyKnown: true });
        return completeCheck(
          { model, checkId, source: "inline", baselineId: baseline.baselineId, createdAt: now.toISOString(), createdBy: caller, thresholds: body.thresholds, requestId },
          profile,
          data,
          false,
        );
      }, "driftApi");
      return c.json({ ...record, report: stored.report }, 201);
    },
  );

  routes.openapi(
    driftContract.routes.listDriftChecks,
    async (c) => {
      const { model } = c.req.valid("param");
      const query = c.req.valid("query");
      const limit = intQuery(query.limit, "limit", 20, 100);
      const page = await listChecks(model, limit, query.nextToken);
      return c.json({ items: page.items.map((r) => presentCheck(r)), nextToken: page.nextToken, model }, 200);
    },
  );

  routes.openapi(
    driftContract.routes.getDriftCheck,
    async (c) => {
      const { model, checkId } = c.req.valid("param");
      const record = await requireCheck(model, checkId);
      if (record.status !== "completed") return c.json(presentCheck(record), 200);
      const stored = JSON.parse(await getText(reportKey(model, checkId))) as { report: unknown };
      return c.json({ ...record, report: stored.report }, 200);
    },
  );

  routes.openapi(
    driftContract.routes.getDriftReportHtml,
    async (c) => {
      const { model, checkId } = c.req.valid("param");
      const record = await requireCompletedCheck(model, checkId, "its report exists");
      if (!record.reportHtmlUri) throw new NotFoundError(`drift check "${checkId}" was completed before HTML reports existed; its JSON report is at ${record.reportUri}`);
      const html = await getText(reportHtmlKey(model, checkId));
      // The page needs nothing from elsewhere; the policy keeps it that way in the browser.
      c.header("content-security-policy", "default-src 'none'; style-src 'unsafe-inline'; img-src data:");
      c.header("content-type", "text/html; charset=utf-8");
      return c.body(html, 200);
    },
  );

  routes.openapi(
    driftContract.routes.getConstraintViolations,
    async (c) => {
      const { model, checkId } = c.req.valid("param");
      const record = await requireCompletedCheck(model, checkId, "its constraint violations exist");
      if (!record.violationCounts) throw new NotFoundError(`drift check "${checkId}" was completed before constraint violations were recorded`);
      return c.json(JSON.parse(await getText(violationsKey(model, checkId))), 200);
    },
  );
}

/** A stored check. @throws NotFoundError when the model has no such check */
async function requireCheck(model: string, checkId: string): Promise<CheckRecord> {
  const record = await getCheck(model, checkId);
  if (!record) throw new NotFoundError(`model "${model}" has no drift check "${checkId}"`);
  return record;
}

/** A completed check (by the status presented to callers). @throws ConflictError saying what `exists` once it is */
async function requireCompletedCheck(model: string, checkId: string, exists: string): Promise<CheckRecord> {
  const record = await requireCheck(model, checkId);
  const shown = presentCheck(record);
  if (shown.status !== "completed") throw new ConflictError(`drift check "${checkId}" is ${shown.status}; ${exists} once it is completed`);
  return record;
}
