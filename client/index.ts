/**
 * The mlwatch API client: `import { MlwatchClient } from "@mlwatch/client"`.
 *
 * Against the deployed API (API Gateway, AWS_IAM) every request is signed with SigV4 (the AWS SDK's
 * signer, `@smithy/signature-v4`) using the credentials you pass or, when you pass none, those of the AWS
 * SDK's default provider chain (environment, shared config/SSO, container and instance roles; install
 * `@aws-sdk/credential-provider-node` for it); against the local server (`mlwatch serve`, a loopback
 * address) requests go unsigned. One method per API operation (client/operations.json maps each
 * `METHOD /path` to its method), typed from the services' contracts. 429 and 5xx answers and network
 * failures are retried with exponential backoff and full jitter (honouring `Retry-After`); POSTs carry an
 * `Idempotency-Key` so a retry never applies twice. Refusals throw `MlwatchApiError` with the API's code
 * and message.
 *
 * @example
 * const client = new MlwatchClient({ endpoint: "https://abc123.execute-api.eu-west-1.amazonaws.com/v1" });
 * const v = await client.registerVersion("churn", { artifactUri: "s3://models/churn/model.tar.gz", metrics: { auc: 0.91 } });
 * const check = await client.checkDrift("churn", { records: [{ age: 42, plan: "pro" }] });
 * if (check.driftDetected) console.log(check.driftedFeatures);
 */
import type { Answer, Body, Query } from "./api-types.js";
import type { WriteOptions } from "./options.js";
import { pollUntilDone, type PollOptions } from "./retry.js";
import { MlwatchTransport } from "./transport.js";
import { MlwatchUploadError } from "./errors.js";
import { digestArtifact, putArtifact, uploadUsable, type ArtifactSource, type UploadArtifactOptions } from "./upload.js";
import { baselineBody, batchBody, type BaselineFileOptions, type BatchFileOptions } from "./files.js";
import { readRecords } from "./records.js";

export { ApiErrorCode, MlwatchApiError, MlwatchFileError, MlwatchNetworkError, MlwatchUploadError } from "./errors.js";
export type { ArtifactSource, PresignedUpload, UploadArtifactOptions } from "./upload.js";
export type { BaselineFileOptions, BatchFileOptions } from "./files.js";
export { readRecords, type FileRecord } from "./records.js";
export { signRequest, type AwsCredentials, type SignOptions, type SignableRequest } from "./sigv4.js";
export { operationRoutes } from "./api-types.js";
export { defaultEndpoint, type MlwatchClientOptions, type RequestOptions, type WriteOptions } from "./options.js";
export { isInProgress, isRetryableStatus, retryDelayMs } from "./retry.js";
export { MlwatchTransport } from "./transport.js";
export type * from "./api-types.js";
export type * from "./types.js";

/** A typed client of the mlwatch API (deployed or local): one method per operation (the transport: transport.ts). */
export class MlwatchClient extends MlwatchTransport {
  // ------------------------------------------------------------------------------------------- registry

  /** `GET /health`: the service and each AWS dependency. */
  public health(): Promise<Answer<"health">> {
    return this.call("health", {});
  }

  /** `GET /models`: one page of models. */
  public listModels(query: Query<"listModels"> = {}): Promise<Answer<"listModels">> {
    return this.call("listModels", {}, { query });
  }

  /** `GET /models/{model}`: the model with its production and staging versions and rollback target. */
  public getModel(model: string): Promise<Answer<"getModel">> {
    return this.call("getModel", { model });
  }

  /** `POST /models/{model}/versions`: registers a version (the next minor one when `version` is omitted). */
  public registerVersion(model: string, input: Body<"registerVersion">, options: WriteOptions = {}): Promise<Answer<"registerVersion">> {
    return this.call("registerVersion", { model }, { body: input, idempotencyKey: options.idempotencyKey });
  }

  /** `GET /models/{model}/versions`: one page of versions, highest first. */
  public listVersions(model: string, query: Query<"listVersions"> = {}): Promise<Answer<"listVersions">> {
    return this.call("listVersions", { model }, { query });
  }

  /** `GET /models/{model}/versions/{version}`. */
  public getVersion(model: string, version: string): Promise<Answer<"getVersion">> {
    return this.call("getVersion", { model, version });
  }

  /** `DELETE /models/{model}/versions/{version}`: a version not in production, and the artifact it owns. */
  public deleteVersion(model: string, version: string): Promise<Answer<"deleteVersion">> {
    return this.call("deleteVersion", { model, version });
  }

  /** `GET /models/{model}/stages/production`: what a serving job loads. */
  public getProduction(model: string): Promise<Answer<"getProduction">> {
    return this.call("getProduction", { model });
  }

  /** `GET /models/{model}/compare`: metrics of 2-10 versions side by side (`versions`: comma-separated). */
  public compareVersions(model: string, query: Query<"compareVersions">): Promise<Answer<"compareVersions">> {
    return this.call("compareVersions", { model }, { query });
  }

  /** `POST …/artifact/verify`: records an uploaded artifact's checksum, or checks it still matches. */
  public verifyArtifact(model: string, version: string, options: WriteOptions = {}): Promise<Answer<"verifyArtifact">> {
    return this.call("verifyArtifact", { model, version }, { idempotencyKey: options.idempotencyKey });
  }

  /** `POST …/artifact/upload`: a fresh presigned upload URL for a version whose artifact is still pending (409 once it is available). */
  public createArtifactUploadUrl(model: string, version: string, options: WriteOptions = {}): Promise<Answer<"createArtifactUploadUrl">> {
    return this.call("createArtifactUploadUrl", { model, version }, { idempotencyKey: options.idempotencyKey });
  }

  /**
   * Uploads the artifact of a version registered with `requestUpload: true` — a file's path (streamed) or
   * its bytes — with content type, length and MD5 (client/upload.ts), verifies it, and answers the verified
   * version. The sha256 the registry records is compared with the local one.
   * @throws {MlwatchUploadError} when the storage refuses the bytes or the recorded sha256 is not the local one
   * @throws {MlwatchApiError} 409 when the artifact is already available or external
   * @example
   * const v = await client.registerVersion("churn", { requestUpload: true, metrics: { auc: 0.91 } });
   * const verified = await client.uploadArtifact("churn", v.version, "model.tar.gz", { upload: v.upload });
   */
  public async uploadArtifact(model: string, version: string, artifact: ArtifactSource, options: UploadArtifactOptions = {}): Promise<Answer<"getVersion">> {
    const sent = await digestArtifact(artifact);
    const upload = uploadUsable(options.upload) ? options.upload : (await this.createArtifactUploadUrl(model, version)).upload;
    await putArtifact(this.fetchFn, upload, artifact, sent, options.timeoutMs ?? 900_000);
    const verified = await this.verifyArtifact(model, version);
    if (verified.currentSha256 !== sent.sha256) {
      throw new MlwatchUploadError(`the registry recorded sha256 ${verified.currentSha256} for ${model} ${version}, but the uploaded bytes have ${sent.sha256}`);
    }
    return this.getVersion(model, version);
  }

  /** `GET /models/{model}/history`: every change to a model, newest first. */
  public getHistory(model: string, query: Query<"getHistory"> = {}): Promise<Answer<"getHistory">> {
    return this.call("getHistory", { model }, { query });
  }

  /** `POST …/promote`: development → staging → production (gated), or → archived. */
  public promote(model: string, version: string, input: Body<"promote">, options: WriteOptions = {}): Promise<Answer<"promote">> {
    return this.call("promote", { model, version }, { body: input, idempotencyKey: options.idempotencyKey });
  }

  /**
   * `PATCH /models/{model}/versions/{version}`: merges tags (a null value removes one).
   */
  public updateVersion(model: string, version: string, input: Body<"updateVersion">): Promise<Answer<"updateVersion">> {
    return this.call("updateVersion", { model, version }, { body: input });
  }

  /** `POST …/approve`: approves the version's pending promotion (not by its requester); the gates are checked again. */
  public approve(model: string, version: string, input: Body<"approve">, options: WriteOptions = {}): Promise<Answer<"approve">> {
    return this.call("approve", { model, version }, { body: input, idempotencyKey: options.idempotencyKey });
  }

  /** `POST …/reject`: rejects the version's pending promotion; it stays where it was. */
  public reject(model: string, version: string, input: Body<"reject">, options: WriteOptions = {}): Promise<Answer<"reject">> {
    return this.call("reject", { model, version }, { body: input, idempotencyKey: options.idempotencyKey });
  }

  /** `GET /models/{model}/approvals`: approval requests, newest first, optionally of one state. */
  public listApprovals(model: string, query: Query<"listApprovals"> = {}): Promise<Answer<"listApprovals">> {
    return this.call("listApprovals", { model }, { query });
  }

  /** `GET /models/{model}/promotion-policy` (404 when the model has none). */
  public getPromotionPolicy(model: string): Promise<Answer<"getPromotionPolicy">> {
    return this.call("getPromotionPolicy", { model });
  }

  /** `PUT /models/{model}/promotion-policy`: replaces the policy (gates, requireApproval, retention). */
  public setPromotionPolicy(model: string, input: Body<"setPromotionPolicy">): Promise<Answer<"setPromotionPolicy">> {
    return this.call("setPromotionPolicy", { model }, { body: input });
  }

  /** `PUT /models/{model}/aliases/{alias}`: points the alias at a version. */
  public setAlias(model: string, alias: string, version: string): Promise<Answer<"setAlias">> {
    return this.call("setAlias", { model, alias }, { body: { version } });
  }

  /** `GET /models/{model}/aliases/{alias}`: the version the alias points to, with its fields. */
  public getAlias(model: string, alias: string): Promise<Answer<"getAlias">> {
    return this.call("getAlias", { model, alias });
  }

  /** `DELETE /models/{model}/aliases/{alias}` (204). */
  public async deleteAlias(model: string, alias: string): Promise<void> {
    await this.call("deleteAlias", { model, alias });
  }

  /** `POST /models/{model}/rollback`: the previous production version becomes production again. */
  public rollback(model: string, input: Body<"rollback">, options: WriteOptions = {}): Promise<Answer<"rollback">> {
    return this.call("rollback", { model }, { body: input, idempotencyKey: options.idempotencyKey });
  }

  /** `POST …/deployments`: records a deployment of a version to an endpoint. */
  public recordDeployment(model: string, version: string, input: Body<"recordDeployment">, options: WriteOptions = {}): Promise<Answer<"recordDeployment">> {
    return this.call("recordDeployment", { model, version }, { body: input, idempotencyKey: options.idempotencyKey });
  }

  /** `GET /models/{model}/deployments`: newest first. */
  public listDeployments(model: string, query: Query<"listDeployments"> = {}): Promise<Answer<"listDeployments">> {
    return this.call("listDeployments", { model }, { query });
  }

  /** `POST /datasets/{name}/versions`: registers a dataset version (the same content answers the existing one). */
  public registerDatasetVersion(name: string, input: Body<"registerDatasetVersion">, options: WriteOptions = {}): Promise<Answer<"registerDatasetVersion">> {
    return this.call("registerDatasetVersion", { name }, { body: input, idempotencyKey: options.idempotencyKey });
  }

  /** `GET /datasets/{name}/versions`: newest registration first. */
  public listDatasetVersions(name: string, query: Query<"listDatasetVersions"> = {}): Promise<Answer<"listDatasetVersions">> {
    return this.call("listDatasetVersions", { name }, { query });
  }

  /** `GET /datasets/{name}/versions/{version}`. */
  public getDatasetVersion(name: string, version: string): Promise<Answer<"getDatasetVersion">> {
    return this.call("getDatasetVersion", { name, version });
  }

  /** `GET …/lineage`: the parent chain of a dataset version. */
  public getDatasetLineage(name: string, version: string): Promise<Answer<"getDatasetLineage">> {
    return this.call("getDatasetLineage", { name, version });
  }

  /** `GET /datasets/{name}/compare`: schema and size differences between two versions. */
  public compareDatasetVersions(name: string, query: Query<"compareDatasetVersions">): Promise<Answer<"compareDatasetVersions">> {
    return this.call("compareDatasetVersions", { name }, { query });
  }

  // --------------------------------------------------------------------------------------- events, audit

  /** `POST /events`: records a pipeline event in the audit trail. */
  public recordEvent(input: Body<"recordEvent">, options: WriteOptions = {}): Promise<Answer<"recordEvent">> {
    return this.call("recordEvent", {}, { body: input, idempotencyKey: options.idempotencyKey });
  }

  /** `GET /audit`: one page of the audit trail, newest first. */
  public listAudit(query: Query<"listAudit"> = {}): Promise<Answer<"listAudit">> {
    return this.call("listAudit", {}, { query });
  }

  // ------------------------------------------------------------------------------------------------ drift

  /** `POST /models/{model}/baselines`: inline records (ready at once) or S3 data (building). */
  public createBaseline(model: string, input: Body<"createBaseline">, options: WriteOptions = {}): Promise<Answer<"createBaseline">> {
    return this.call("createBaseline", { model }, { body: input, idempotencyKey: options.idempotencyKey });
  }

  /**
   * A baseline of `model` from a local file — CSV with a header row, JSON Lines or a JSON array (client/records.ts) —
   * sent inline, so it is ready at once: what `mlwatch baselines create MODEL --data FILE` does.
   * @throws {MlwatchFileError} when the file cannot be read or parsed
   * @example
   * const baseline = await client.createBaselineFromFile("churn", "training.csv", { exclude: ["id"] });
   */
  public async createBaselineFromFile(model: string, path: string, options: BaselineFileOptions & WriteOptions = {}): Promise<Answer<"createBaseline">> {
    return this.createBaseline(model, baselineBody(await readRecords(path), options), options);
  }

  /** `GET /models/{model}/baselines`: one page `{ items, nextToken, activeBaselineId }`, newest first, the active one marked. */
  public listBaselines(model: string, query: Query<"listBaselines"> = {}): Promise<Answer<"listBaselines">> {
    return this.call("listBaselines", { model }, { query });
  }

  /** `GET /models/{model}/baselines/{baselineId}` (`profile: true` adds the profile of a ready baseline). */
  public getBaseline(model: string, baselineId: string, query: Query<"getBaseline"> = {}): Promise<Answer<"getBaseline">> {
    return this.call("getBaseline", { model, baselineId }, { query });
  }

  /** `POST …/activate`: makes a ready baseline the model's active one. */
  public activateBaseline(model: string, baselineId: string): Promise<Answer<"activateBaseline">> {
    return this.call("activateBaseline", { model, baselineId });
  }

  /** `GET …/baselines/{baselineId}/statistics.json`: the baseline in Model Monitor's statistics.json format. */
  public getBaselineStatistics(model: string, baselineId: string): Promise<Answer<"getBaselineStatistics">> {
    return this.call("getBaselineStatistics", { model, baselineId });
  }

  /** `GET …/baselines/{baselineId}/constraints.json`: the imported constraints, else those suggested from the profile. */
  public getBaselineConstraints(model: string, baselineId: string): Promise<Answer<"getBaselineConstraints">> {
    return this.call("getBaselineConstraints", { model, baselineId });
  }

  /** `POST /models/{model}/drift-checks`: inline records answer with the report; S3 data answers `pending`. */
  public checkDrift(model: string, input: Body<"checkDrift">, options: WriteOptions = {}): Promise<Answer<"checkDrift">> {
    return this.call("checkDrift", { model }, { body: input, idempotencyKey: options.idempotencyKey });
  }

  /** `GET /models/{model}/drift-checks`: newest first. */
  public listDriftChecks(model: string, query: Query<"listDriftChecks"> = {}): Promise<Answer<"listDriftChecks">> {
    return this.call("listDriftChecks", { model }, { query });
  }

  /** `GET /models/{model}/drift-checks/{checkId}`: status, summary and, once completed, the report. */
  public getDriftCheck(model: string, checkId: string): Promise<Answer<"getDriftCheck">> {
    return this.call("getDriftCheck", { model, checkId });
  }

  /** `GET /models/{model}/drift-checks/{checkId}/report.html`: the self-contained HTML report. */
  public getDriftReportHtml(model: string, checkId: string): Promise<string> {
    return this.call("getDriftReportHtml", { model, checkId }, { text: true });
  }

  /** `GET …/drift-checks/{checkId}/constraint_violations.json`: Model Monitor's view of a completed check. */
  public getConstraintViolations(model: string, checkId: string): Promise<Answer<"getConstraintViolations">> {
    return this.call("getConstraintViolations", { model, checkId });
  }

  /** Polls an asynchronous check until it is completed or failed. */
  public waitForDriftCheck(model: string, checkId: string, options: PollOptions = {}): Promise<Answer<"getDriftCheck">> {
    return pollUntilDone(() => this.getDriftCheck(model, checkId), `drift check ${checkId} of ${model}`, options);
  }

  /** `PUT /models/{model}/monitoring`: scheduled drift monitoring of the model's data capture. */
  public setMonitoring(model: string, input: Body<"setMonitoring">): Promise<Answer<"setMonitoring">> {
    return this.call("setMonitoring", { model }, { body: input });
  }

  /** `GET /models/{model}/monitoring`: the settings and last run. */
  public getMonitoring(model: string): Promise<Answer<"getMonitoring">> {
    return this.call("getMonitoring", { model });
  }

  // ------------------------------------------------------------------------------------------ performance

  /** `POST /models/{model}/versions/{version}/batches`: records predictions with their actuals. */
  public recordBatch(model: string, version: string, input: Body<"recordBatch">, options: WriteOptions = {}): Promise<Answer<"recordBatch">> {
    return this.call("recordBatch", { model, version }, { body: input, idempotencyKey: options.idempotencyKey });
  }

  /**
   * A batch of `version`'s predictions with their actuals from a local file (CSV with a header row, JSON Lines or a
   * JSON array; one row per prediction): what `mlwatch performance record` does. The score column defaults to
   * `score` when every row has one; the task, when not given, is classification with scores, a label that is not
   * a number, or 0/1 labels, else regression.
   * @throws {MlwatchFileError} when the file cannot be read, holds no rows, or a row lacks a column
   * @example
   * const batch = await client.recordBatchFromFile("churn", "1.0.0", "scored.csv");
   */
  public async recordBatchFromFile(model: string, version: string, path: string, options: BatchFileOptions & WriteOptions = {}): Promise<Answer<"recordBatch">> {
    return this.recordBatch(model, version, batchBody(await readRecords(path), path, options), options);
  }

  /** `POST …/predictions`: logs predictions now, to be joined with their ground truth later. */
  public logPredictions(model: string, version: string, input: Body<"logPredictions">, options: WriteOptions = {}): Promise<Answer<"logPredictions">> {
    return this.call("logPredictions", { model, version }, { body: input, idempotencyKey: options.idempotencyKey });
  }

  /** `POST /models/{model}/ground-truth`: joins actuals to logged predictions. */
  public recordGroundTruth(model: string, input: Body<"recordGroundTruth">, options: WriteOptions = {}): Promise<Answer<"recordGroundTruth">> {
    return this.call("recordGroundTruth", { model }, { body: input, idempotencyKey: options.idempotencyKey });
  }

  /** `GET /models/{model}/performance/ground-truth-jobs/{jobId}`: a Model Monitor join run in the worker (a 202 of recordGroundTruth). */
  public getGroundTruthJob(model: string, jobId: string): Promise<Answer<"getGroundTruthJob">> {
    return this.call("getGroundTruthJob", { model, jobId });
  }

  /** Polls a ground-truth join job until it is completed (`result`: join and batch) or failed (`error`). */
  public waitForGroundTruthJob(model: string, jobId: string, options: PollOptions = {}): Promise<Answer<"getGroundTruthJob">> {
    return pollUntilDone(() => this.getGroundTruthJob(model, jobId), `ground-truth join job ${jobId} of ${model}`, options);
  }

  /** `GET /models/{model}/performance/ground-truth-schedule`: the scheduled Model Monitor ground-truth join and its last run. */
  public getGroundTruthSchedule(model: string): Promise<Answer<"getGroundTruthSchedule">> {
    return this.call("getGroundTruthSchedule", { model });
  }

  /** `PUT /models/{model}/performance/ground-truth-schedule`: joins Model Monitor's ground truth to the data capture on every monitor pass. */
  public setGroundTruthSchedule(model: string, input: Body<"setGroundTruthSchedule">): Promise<Answer<"setGroundTruthSchedule">> {
    return this.call("setGroundTruthSchedule", { model }, { body: input });
  }

  /** `GET /models/{model}/performance/thresholds`: effective, stored and default thresholds. */
  public getPerformanceThresholds(model: string): Promise<Answer<"getPerformanceThresholds">> {
    return this.call("getPerformanceThresholds", { model });
  }

  /** `PUT /models/{model}/performance/thresholds`: replaces the stored thresholds (null turns a rule off). */
  public setPerformanceThresholds(model: string, input: Body<"setPerformanceThresholds">): Promise<Answer<"setPerformanceThresholds">> {
    return this.call("setPerformanceThresholds", { model }, { body: input });
  }

  /** `PUT /models/{model}/versions/{version}/estimation-reference`: the labelled window performance estimation calibrates on; answers the fit. */
  public setEstimationReference(model: string, version: string, input: Body<"setEstimationReference">): Promise<Answer<"setEstimationReference">> {
    return this.call("setEstimationReference", { model, version }, { body: input });
  }

  /** `GET /models/{model}/versions/{version}/estimation-reference`: the stored (or default) reference and its fit. */
  public getEstimationReference(model: string, version: string): Promise<Answer<"getEstimationReference">> {
    return this.call("getEstimationReference", { model, version });
  }

  /** `DELETE /models/{model}/versions/{version}/batches/{batchId}`: removes a mistaken batch (raw rows, joins), audited. */
  public deleteBatch(model: string, version: string, batchId: string): Promise<Answer<"deleteBatch">> {
    return this.call("deleteBatch", { model, version, batchId });
  }

  /** `GET /models/{model}/performance`: window metrics, per-day aggregates, trend, worst batches. */
  public performanceReport(model: string, query: Query<"performanceReport"> = {}): Promise<Answer<"performanceReport">> {
    return this.call("performanceReport", { model }, { query });
  }

  /** `GET /models/{model}/performance/compare`: live metrics of 2-10 versions over one window. */
  public comparePerformance(model: string, query: Query<"comparePerformance">): Promise<Answer<"comparePerformance">> {
    return this.call("comparePerformance", { model }, { query });
  }

  // ------------------------------------------------------------------------------------------ alerts

  /** `GET /alerts`: the inbox, newest first, filtered by model, state, type and first-seen time. */
  public listAlerts(query: Query<"listAlerts"> = {}): Promise<Answer<"listAlerts">> {
    return this.call("listAlerts", {}, { query });
  }

  /** `GET /alerts/{alertId}`: one alert with its occurrences and who acknowledged or resolved it. */
  public getAlert(alertId: string): Promise<Answer<"getAlert">> {
    return this.call("getAlert", { alertId });
  }

  /** `POST /alerts/{alertId}/acknowledge`: someone is on it (409 unless the alert is open). */
  public acknowledgeAlert(alertId: string, input: Body<"acknowledgeAlert">, options: WriteOptions = {}): Promise<Answer<"acknowledgeAlert">> {
    return this.call("acknowledgeAlert", { alertId }, { body: input, idempotencyKey: options.idempotencyKey });
  }

  /** `POST /alerts/{alertId}/resolve` (409 when already resolved). */
  public resolveAlert(alertId: string, input: Body<"resolveAlert">, options: WriteOptions = {}): Promise<Answer<"resolveAlert">> {
    return this.call("resolveAlert", { alertId }, { body: input, idempotencyKey: options.idempotencyKey });
  }

  /** `POST /alerts/test`: proves delivery (local: a test alert through the topic; deployed: one alarm to ALARM and back). */
  public testAlert(input: Body<"testAlert"> = {}, options: WriteOptions = {}): Promise<Answer<"testAlert">> {
    return this.call("testAlert", {}, { body: input, idempotencyKey: options.idempotencyKey });
  }

  // ------------------------------------------------------------------------------------------- retraining

  /** `POST /models/{model}/retraining`: publishes `mlwatch Retraining Requested` (trigger manual; never rate-limited). */
  public requestRetraining(model: string, input: Body<"requestRetraining">): Promise<Answer<"requestRetraining">> {
    return this.call("requestRetraining", { model }, { body: input });
  }

  /** `GET /models/{model}/retraining-policy` (every trigger off when none was set). */
  public getRetrainingPolicy(model: string): Promise<Answer<"getRetrainingPolicy">> {
    return this.call("getRetrainingPolicy", { model });
  }

  /** `PUT /models/{model}/retraining-policy`: replaces the policy (an absent trigger is off). */
  public setRetrainingPolicy(model: string, input: Body<"setRetrainingPolicy">): Promise<Answer<"setRetrainingPolicy">> {
    return this.call("setRetrainingPolicy", { model }, { body: input });
  }

  /** `GET /models/{model}/retraining-requests`: requested, suppressed and failed requests, newest first. */
  public listRetrainingRequests(model: string, query: Query<"listRetrainingRequests"> = {}): Promise<Answer<"listRetrainingRequests">> {
    return this.call("listRetrainingRequests", { model }, { query });
  }
}
