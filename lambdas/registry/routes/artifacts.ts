/**
 * Artifact routes beside registration: a fresh upload URL for a pending artifact (artifact-upload.ts).
 */
import type { Routes } from "../../shared/http.js";
import { renewArtifactUpload } from "../artifact-upload.js";
import { registryContract } from "../contract.js";
import { actorOf } from "./context.js";

/** Adds the artifact upload route. */
export function addArtifactRoutes(routes: Routes): void {
  routes.openapi(
    registryContract.routes.createArtifactUploadUrl,
    async (c) => {
      const { model, version } = c.req.valid("param");
      return c.json(await renewArtifactUpload(model, version, actorOf(c)), 200);
    },
  );
}
