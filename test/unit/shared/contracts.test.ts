/**
 * Each service's app binds a handler to every route of its contract, once, and to nothing else.
 */
import { describe, expect, it } from "vitest";
import { allContracts } from "../../../lambdas/contracts.js";
import { allRoutes } from "../../../lambdas/local/services.js";
import { contractRoutes } from "../../../lambdas/shared/contract.js";

describe("contracts and apps", () => {
  it("lists the same services in the same order", () => {
    // Assess
    expect(allContracts.map((c) => c.service)).toEqual(expect.arrayContaining(["registry", "events", "drift", "performance"]));
    expect(new Set(allContracts.map((c) => c.service)).size).toBe(allContracts.length);
    expect(allRoutes).toHaveLength(allContracts.length);
  });

  it.each(allContracts.map((c, i) => [c.service, i] as const))("%s: the app's routes are its contract's, in order", (_service, i) => {
    // Prepare
    const contract = allContracts[i];
    // Act
    const bound = allRoutes[i].openAPIRegistry.definitions.flatMap((d) => (d.type === "route" ? [`${d.route.method.toUpperCase()} ${d.route.path}`] : []));
    const declared = contractRoutes(contract).map((r) => `${r.method.toUpperCase()} ${r.path}`);
    // Assess
    expect(declared.length).toBeGreaterThan(0);
    expect(bound).toEqual(declared);
  });
});
