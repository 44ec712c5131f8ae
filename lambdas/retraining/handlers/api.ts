import { handle } from "hono/aws-lambda";
import { app } from "../app.js";

/** Lambda entry of the retraining API. */
export const handler = handle(app);
