/**
 * The routes of performance estimation's reference (`PUT`/`GET …/versions/{version}/estimation-reference`),
 * bound onto the performance service's routes by app.ts. The report's `estimated` section is built in
 * app.ts's report handler (estimation.ts).
 */
import type { Routes } from "../../shared/http.js";
import { recordAudit } from "../../shared/audit.js";
import { performanceContract } from "../contract.js";
import { getEstimationReference, putEstimationReference } from "../store/estimation.js";

const dayMs = 86_400_000;

/** What a reference gives now: the estimated section's reference, method and availability over the last 30 days. */
async function referenceAnswer(model: string, version: string) {
  const to = new Date();
  const { estimatedSection } = await import("../estimation.js");
  const section = await estimatedSection(model, version, new Date(to.getTime() - 30 * dayMs).toISOString(), to.toISOString());
  return { model, version, available: section.available, ...("reason" in section ? { reason: section.reason } : {}), method: section.method, reference: section.reference };
}

/** Binds the estimation-reference routes. */
export function bindEstimationRoutes(routes: Routes): void {
  routes.openapi(performanceContract.routes.setEstimationReference, async (c) => {
    const { model, version } = c.req.valid("param");
    const b = c.req.valid("json");
    const setting = {
      model,
      version,
      from: new Date(b.from).toISOString(),
      to: new Date(b.to).toISOString(),
      method: b.method ?? "auto",
      updatedAt: new Date().toISOString(),
      updatedBy: c.get("caller"),
    };
    const before = await putEstimationReference(setting);
    await recordAudit({
      type: "performance.estimation_reference_updated",
      actor: c.get("caller"),
      model,
      version,
      target: `models/${model}/versions/${version}/estimation-reference`,
      before: before ?? null,
      after: setting,
      requestId: c.get("requestId"),
    });
    return c.json(await referenceAnswer(model, version), 200);
  });

  routes.openapi(performanceContract.routes.getEstimationReference, async (c) => {
    const { model, version } = c.req.valid("param");
    const stored = await getEstimationReference(model, version);
    return c.json({ ...(await referenceAnswer(model, version)), stored: stored ?? null }, 200);
  });
}
