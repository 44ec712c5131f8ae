/**
 * A fresh presigned upload URL for a version registered with an upload whose first URL expired (it lives
 * {@link uploadUrlSeconds} seconds) or was lost. Only an owned artifact still `pending_upload` gets one: an
 * external artifact (`artifactUri`) is never written by the registry, and an available one is immutable —
 * its checksum is recorded and a new upload would change the model behind a verified version.
 */
import { recordAudit } from "../shared/audit.js";
import { ConflictError } from "../shared/errors.js";
import { parseS3Uri, presignUpload, uploadLocation } from "./artifacts.js";
import type { Actor } from "../shared/actor.js";
import { requireVersion } from "./store/versions.js";

/** What `POST …/artifact/upload` answers: where to PUT the artifact's bytes, until when. */
export interface ArtifactUpload {
  readonly model: string;
  readonly version: string;
  readonly artifactUri: string;
  readonly upload: { readonly url: string; readonly method: "PUT"; readonly expiresAt: string };
}

/**
 * Issues a new presigned PUT URL for the artifact of `model` `version`, audited as
 * `model.artifact_upload_issued` (the URL itself is not recorded: it is a bearer credential until it expires).
 * @throws NotFoundError when the version does not exist
 * @throws ConflictError when the artifact is external or already available
 * @example
 * const { upload } = await renewArtifactUpload("churn", "1.3.0", actor); // PUT the file to upload.url, then verify
 */
export async function renewArtifactUpload(model: string, version: string, actor: Actor): Promise<ArtifactUpload> {
  const current = await requireVersion(model, version);
  const { artifact } = current;
  if (!artifact.owned) {
    throw new ConflictError(`version ${version} of model ${model} uses the external artifact ${artifact.uri}; the registry issues upload URLs only for artifacts registered without artifactUri`);
  }
  if (artifact.status !== "pending_upload") {
    throw new ConflictError(`the artifact of version ${version} of model ${model} is already ${artifact.status} (sha256 ${artifact.sha256 ?? "-"}); a verified artifact is never replaced: register a new version`);
  }
  const upload = await presignUpload(uploadLocation(model, version, parseS3Uri(artifact.uri)));
  await recordAudit({
    type: "model.artifact_upload_issued",
    actor: actor.caller,
    model,
    version,
    target: `models/${model}/versions/${version}`,
    details: { artifactUri: artifact.uri, expiresAt: upload.expiresAt },
    requestId: actor.requestId,
  });
  return { model, version, artifactUri: artifact.uri, upload: { url: upload.url, method: "PUT", expiresAt: upload.expiresAt } };
}
