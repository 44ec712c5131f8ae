/**
 * The alert inbox's contract: its request and answer schemas (zod) and its route definitions. Imported by
 * the routes (lambdas/alerts/routes/), CDK (through the route collection), the OpenAPI generator and the
 * client's types; it imports no handler and no SDK.
 */
import { createRoute, z } from "@hono/zod-openapi";
import { defineContract } from "../shared/contract.js";
import { errorAnswer, nameSchema } from "../shared/schemas.js";

export { AlertState, AlertType } from "./contract/alert-types.js";
import { AlertState, AlertType } from "./contract/alert-types.js";

const alertTypes = Object.values(AlertType) as [AlertType, ...AlertType[]];
const alertStates = Object.values(AlertState) as [AlertState, ...AlertState[]];

/** Alert ids: time-sortable, `{yyyymmddThhmmssmmmZ}-{6 hex}`. */
export const alertIdPattern = /^\d{8}T\d{9}Z-[0-9a-f]{6}$/;

const actionSchema = z.object({ by: z.string(), at: z.string(), reason: z.string() });

/** One alert as the inbox answers it. */
export const alertSchema = z
  .object({
    alertId: z.string(),
    type: z.enum(alertTypes),
    model: z.string().optional().openapi({ description: "absent for alarms that are not about one model" }),
    version: z.string().optional(),
    severity: z.string(),
    subject: z.string(),
    summary: z.string(),
    link: z
      .object({
        checkId: z.string().optional(),
        reportUri: z.string().optional(),
        batchId: z.string().optional(),
        alarmName: z.string().optional(),
        trainingJobName: z.string().optional(),
      })
      .openapi({ description: "where the detail is: the drift check, its report, the performance batch, the alarm or the SageMaker training job" }),
    state: z.enum(alertStates),
    occurrences: z.number().int().openapi({ description: "how many times it was raised; repeats are counted here and not sent again" }),
    firstSeen: z.string(),
    lastSeen: z.string(),
    suppressedUntil: z.string().openapi({ description: "until when a repeat is not sent even after the alert is resolved" }),
    delivery: z.object({
      status: z.enum(["sent", "failed", "sending", "by_cloudwatch", "not_sent"]),
      messageId: z.string().optional(),
      error: z.string().optional(),
    }),
    acknowledged: actionSchema.optional(),
    resolved: actionSchema.optional(),
  })
  .openapi("Alert");
export type AlertRecord = z.output<typeof alertSchema>;

/** `{ items, nextToken }` of `GET /alerts`. */
export const alertPageSchema = z.object({ items: z.array(alertSchema), nextToken: z.string().nullable() }).openapi("AlertPage");

/** Path parameter `{alertId}`. */
export const alertParams = z.object({
  alertId: z
    .string()
    .regex(alertIdPattern, "must be an alert id as listed by GET /alerts")
    .openapi({ param: { name: "alertId", in: "path" }, example: "20260101T120000000Z-a1b2c3" }),
});

/** Query of `GET /alerts`. */
export const listAlertsQuery = z.object({
  model: nameSchema.optional(),
  state: z.enum(alertStates).optional(),
  type: z.enum(alertTypes).optional(),
  since: z
    .string()
    .refine((s) => !Number.isNaN(Date.parse(s)), "must be an ISO 8601 time")
    .optional()
    .openapi({ description: "only alerts first seen at or after this time" }),
  limit: z.string().optional().openapi({ description: "page size, 1-100 (default 25)" }),
  nextToken: z.string().max(2048).optional(),
});

/** Body of acknowledge and resolve. */
export const reasonBody = z
  .strictObject({ reason: z.string().trim().min(1, "must not be empty").max(1000, "at most 1000 characters") })
  .openapi("AlertAction");

/** Body of `POST /alerts/test`. */
export const testAlertBody = z
  .strictObject({ note: z.string().max(200, "at most 200 characters").optional().openapi({ description: "a line added to the test message" }) })
  .openapi("AlertTestRequest");

/** Answer of `POST /alerts/test`. */
export const testAlertSchema = z
  .object({
    mode: z.enum(["topic", "alarm"]).openapi({ description: "`topic`: a test alert was published (local); `alarm`: an mlwatch alarm was set to ALARM and back (deployed)" }),
    alertId: z.string().optional(),
    alarmName: z.string().optional(),
    messageId: z.string().optional(),
  })
  .openapi("AlertTest");

/** Default and largest page size of `GET /alerts`. */
export const alertPageSize = { fallback: 25, max: 100 } as const;

const tags = ["alerts"];
const json = <T extends z.ZodType>(schema: T, description: string) => ({ description, content: { "application/json": { schema } } });

/** `GET /alerts`. */
export const listAlertsRoute = createRoute({
  method: "get",
  path: "/alerts",
  tags,
  summary: "Alerts, newest first (model, state, type and since filter; filters apply before the page is cut)",
  request: { query: listAlertsQuery },
  responses: { 200: json(alertPageSchema, "`{ items, nextToken }`"), 400: errorAnswer("invalid query") },
});

/** `GET /alerts/{alertId}`. */
export const getAlertRoute = createRoute({
  method: "get",
  path: "/alerts/{alertId}",
  tags,
  summary: "One alert with its occurrences and who acknowledged or resolved it",
  request: { params: alertParams },
  responses: { 200: json(alertSchema, "the alert"), 400: errorAnswer("invalid id"), 404: errorAnswer("no such alert") },
});

const actionRoute = (action: "acknowledge" | "resolve") =>
  createRoute({
    method: "post",
    path: `/alerts/{alertId}/${action}`,
    tags,
    summary: action === "acknowledge" ? "Acknowledge an open alert (someone is on it)" : "Resolve an alert (open or acknowledged)",
    request: { params: alertParams, body: { required: true, content: { "application/json": { schema: reasonBody } } } },
    responses: {
      200: json(alertSchema, "the updated alert"),
      400: errorAnswer("invalid body"),
      404: errorAnswer("no such alert"),
      409: errorAnswer(action === "acknowledge" ? "the alert is not open" : "the alert is already resolved"),
    },
  });

/** `POST /alerts/{alertId}/acknowledge`. */
export const acknowledgeAlertRoute = actionRoute("acknowledge");
/** `POST /alerts/{alertId}/resolve`. */
export const resolveAlertRoute = actionRoute("resolve");

/** `POST /alerts/test`. */
export const testAlertRoute = createRoute({
  method: "post",
  path: "/alerts/test",
  tags,
  summary: "Prove delivery: publish a test alert (local) or set one mlwatch alarm to ALARM and back to OK (deployed)",
  request: { body: { required: true, content: { "application/json": { schema: testAlertBody } } } },
  responses: { 202: json(testAlertSchema, "what was sent"), 400: errorAnswer("invalid body") },
});

/** The alert inbox's routes, by operation (the static `/alerts/test` first, so `/alerts/{alertId}` never shadows it). */
export const alertsContract = defineContract("alerts", {
  testAlert: testAlertRoute,
  listAlerts: listAlertsRoute,
  getAlert: getAlertRoute,
  acknowledgeAlert: acknowledgeAlertRoute,
  resolveAlert: resolveAlertRoute,
});
