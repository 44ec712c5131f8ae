import { describe, expect, it } from "vitest";
import { gatewayPlan, routeThrough, type PlannedRoute } from "../../../lib/gateway-plan.js";

const route = (service: string, method: string, path: string): PlannedRoute => ({ service, method, path });
const paths = (routes: PlannedRoute[]): string[] => gatewayPlan(routes).map((n) => `${n.path} ${[...n.methods].map(([m, s]) => `${m}:${s}`).join(",")}`);

describe("gatewayPlan", () => {
  it("gives a service that owns everything the root and one {proxy+}", () => {
    // Prepare
    const routes = [route("a", "GET", "/x"), route("a", "POST", "/x/{id}/y"), route("a", "GET", "/z/{id}")];
    // Act
    const plan = paths(routes);
    // Assess
    expect(plan).toEqual(["/ ANY:a", "/{proxy+} ANY:a"]);
    for (const r of routes) expect(routeThrough(gatewayPlan(routes), r.method, r.path.replace(/\{\w+\}/g, "v"))).toBe("a");
  });

  it("makes explicit only the segments where another service lives, each with its own {proxy+} when it has children", () => {
    const routes = [
      route("reg", "GET", "/models"),
      route("reg", "GET", "/models/{model}"),
      route("reg", "GET", "/models/{model}/history"),
      route("reg", "POST", "/models/{model}/versions/{version}/promote"),
      route("drift", "POST", "/models/{model}/baselines"),
      route("drift", "GET", "/models/{model}/baselines/{id}"),
      route("perf", "POST", "/models/{model}/ground-truth"),
    ];
    expect(paths(routes)).toEqual([
      "/ ANY:reg",
      "/{proxy+} ANY:reg",
      "/models ANY:reg",
      "/models/{model} ANY:reg",
      "/models/{model}/{proxy+} ANY:reg",
      "/models/{model}/baselines ANY:drift",
      "/models/{model}/baselines/{proxy+} ANY:drift",
      "/models/{model}/ground-truth ANY:perf",
    ]);
    const plan = gatewayPlan(routes);
    for (const r of routes) expect(routeThrough(plan, r.method, r.path.replace(/\{\w+\}/g, "v")), `${r.method} ${r.path}`).toBe(r.service);
  });

  it("puts no {proxy+} beside a path variable that must stay explicit, and makes its siblings explicit instead", () => {
    const routes = [route("a", "GET", "/x/list"), route("a", "GET", "/x/{id}"), route("b", "GET", "/x/{id}/b"), route("a", "GET", "/x/{id}/a")];
    const plan = gatewayPlan(routes);
    const under = plan.map((n) => n.path).filter((p) => p.startsWith("/x/"));
    expect(under).toEqual(["/x/list", "/x/{id}", "/x/{id}/{proxy+}", "/x/{id}/b"]);
    for (const r of routes) expect(routeThrough(plan, r.method, r.path.replace(/\{\w+\}/g, "v")), `${r.method} ${r.path}`).toBe(r.service);
  });

  it("splits a resource by method when two services share its path", () => {
    const plan = gatewayPlan([route("a", "GET", "/x"), route("b", "POST", "/x"), route("a", "GET", "/y")]);
    const x = plan.find((n) => n.path === "/x");
    expect([...x!.methods]).toEqual([["GET", "a"], ["POST", "b"]]);
    expect(routeThrough(plan, "POST", "/x")).toBe("b");
    expect(routeThrough(plan, "DELETE", "/x")).toBeUndefined();
  });

  it("refuses a method and path defined twice, two variable siblings, and greedy contract paths", () => {
    expect(() => gatewayPlan([route("a", "GET", "/x"), route("b", "GET", "/x")])).toThrow("GET /x is defined by both a and b");
    expect(() => gatewayPlan([route("a", "GET", "/x/{a}"), route("a", "GET", "/x/{b}/c")])).toThrow("/x has more than one path variable child");
    expect(() => gatewayPlan([route("a", "GET", "/x/{rest+}")])).toThrow("greedy path variable");
  });
});

describe("routeThrough", () => {
  const plan = gatewayPlan([route("a", "GET", "/m/{id}"), route("b", "GET", "/m/{id}/b"), route("a", "GET", "/m/{id}/c/d"), route("a", "GET", "/m/{id}/e"), route("a", "GET", "/other")]);

  it("prefers a literal segment to the path variable and the variable to {proxy+}", () => {
    expect(plan.map((n) => n.path)).toEqual(["/", "/{proxy+}", "/m", "/m/{id}", "/m/{id}/{proxy+}", "/m/{id}/b"]);
    expect(routeThrough(plan, "GET", "/m/x")).toBe("a");
    expect(routeThrough(plan, "GET", "/m/1/b")).toBe("b");
    expect(routeThrough(plan, "GET", "/m/1/c/d")).toBe("a");
    expect(routeThrough(plan, "GET", "/m/1/e")).toBe("a");
  });

  it("never backs up: below a leaf resource nothing matches (API Gateway answers that itself)", () => {
    expect(routeThrough(plan, "GET", "/m/1/b/deeper")).toBeUndefined();
  });

  it("sends an unknown top-level path to the root {proxy+}", () => {
    expect(routeThrough(plan, "PUT", "/nothing/here")).toBe("a");
  });
});
