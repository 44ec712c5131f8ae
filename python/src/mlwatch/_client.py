"""The mlwatch API client.

Against the deployed API (API Gateway, AWS_IAM) every request is signed with SigV4 by botocore (service
``execute-api``) with the session's credentials (environment, shared config/SSO, container and instance roles:
a SageMaker job's role); against the local server (``mlwatch serve``, a loopback address) requests go plain.
429 and 5xx answers and network failures are retried with exponential backoff and full jitter (honouring
``Retry-After``); a POST carries one ``Idempotency-Key`` over all its attempts, so a retry never applies twice.
Refusals raise :class:`ApiError` with the API's code and message.
"""
from typing import Any, Dict, Mapping, Optional, Sequence, Union, cast

from ._types import (
    Baseline,
    CreateBaselineInput,
    DatasetVersionInput,
    DeploymentInput,
    DriftCheck,
    DriftCheckInput,
    EventInput,
    GroundTruthInput,
    JsonObject,
    LogPredictionsInput,
    ModelVersion,
    MonitoringInput,
    PerformanceThresholdsInput,
    PromoteInput,
    RecordBatchInput,
    RegisteredVersion,
    RegisterVersionInput,
    RollbackInput,
    Stage,
)

from ._transport import DEFAULT_ENDPOINT, _join, encode_json, is_retryable_status, retry_delay
from ._workflows import Workflows

__all__ = ["Client", "DEFAULT_ENDPOINT", "is_retryable_status", "retry_delay", "encode_json"]


class Client(Workflows):
    """A client of the mlwatch API (deployed or local).

    :param endpoint: the API's base URL, with the stage for the deployed API
        (``https://{id}.execute-api.{region}.amazonaws.com/v1``). Default: ``MLWATCH_ENDPOINT``, else the local
        server ``http://127.0.0.1:3000``.
    :param region: region of the signature. Default: the region in an execute-api host name, else the session's,
        else ``AWS_REGION`` / ``AWS_DEFAULT_REGION``.
    :param session: a ``botocore.session.Session`` (or a ``boto3.Session``) whose credentials sign the requests.
        Default: a new botocore session (the default credential chain).
    :param sign: ``True`` signs every request, ``False`` none; ``None`` (default) signs unless the endpoint's host
        is a loopback address (the local server).
    :param max_attempts: attempts per request, the first included (default 4).
    :param retry_base: first retry delay ceiling in seconds, doubled every retry (default 0.2).
    :param max_retry_delay: longest wait between attempts in seconds (default 5).
    :param timeout: per-attempt timeout in seconds (default 30).
    :param actor: local mode only: the actor the local server records (header ``x-mlwatch-actor``), so two
        people can be played on one machine; the deployed API ignores it (the actor is the IAM principal).
    """

    # ------------------------------------------------------------------------------------------- service

    def health(self) -> JsonObject:
        """``GET /health``: the service and each AWS dependency it reaches."""
        return cast(JsonObject, self._call("GET /health"))

    # ------------------------------------------------------------------------------------------ registry

    def list_models(self, limit: Optional[int] = None, next_token: Optional[str] = None) -> JsonObject:
        """``GET /models``: one page of models (``models``, ``nextToken``)."""
        return cast(JsonObject, self._call("GET /models", query={"limit": limit, "nextToken": next_token}))

    def get_model(self, model: str) -> JsonObject:
        """``GET /models/{model}``: primary metric, direction, production and staging versions."""
        return cast(JsonObject, self._call("GET /models/{model}", {"model": model}))

    def register_version(self, model: str, body: RegisterVersionInput, *, idempotency_key: Optional[str] = None) -> RegisteredVersion:
        """``POST /models/{model}/versions``: registers a version (the next minor one when ``version`` is omitted)."""
        return cast(RegisteredVersion, self._call("POST /models/{model}/versions", {"model": model}, body=body, idempotency_key=idempotency_key))

    def list_versions(
        self, model: str, stage: Optional[Stage] = None, limit: Optional[int] = None, next_token: Optional[str] = None, tag: Optional[str] = None
    ) -> JsonObject:
        """``GET /models/{model}/versions``: one page of versions, highest first, optionally of one stage or with a tag (``"key:value"``)."""
        query = {"stage": stage, "tag": tag, "limit": limit, "nextToken": next_token}
        return cast(JsonObject, self._call("GET /models/{model}/versions", {"model": model}, query=query))

    def get_version(self, model: str, version: str) -> ModelVersion:
        """``GET /models/{model}/versions/{version}``."""
        return cast(ModelVersion, self._call("GET /models/{model}/versions/{version}", {"model": model, "version": version}))

    def delete_version(self, model: str, version: str) -> JsonObject:
        """``DELETE /models/{model}/versions/{version}``: a version not in production, and its artifact."""
        return cast(JsonObject, self._call("DELETE /models/{model}/versions/{version}", {"model": model, "version": version}))

    def get_production(self, model: str) -> JsonObject:
        """``GET /models/{model}/stages/production``: what a serving job loads."""
        return cast(JsonObject, self._call("GET /models/{model}/stages/production", {"model": model}))

    def compare_versions(self, model: str, versions: Union[str, Sequence[str]]) -> JsonObject:
        """``GET /models/{model}/compare``: metrics of 2-10 versions side by side."""
        return cast(JsonObject, self._call("GET /models/{model}/compare", {"model": model}, query={"versions": _join(versions)}))

    def verify_artifact(self, model: str, version: str, *, idempotency_key: Optional[str] = None) -> JsonObject:
        """``POST …/artifact/verify``: records the checksum of an uploaded artifact, or checks it."""
        params = {"model": model, "version": version}
        return cast(JsonObject, self._call("POST /models/{model}/versions/{version}/artifact/verify", params, idempotency_key=idempotency_key))

    def create_artifact_upload_url(self, model: str, version: str, *, idempotency_key: Optional[str] = None) -> JsonObject:
        """``POST …/artifact/upload``: a fresh presigned upload URL for a version whose artifact is still pending
        (the first URL expired or was lost); 409 once the artifact is available."""
        params = {"model": model, "version": version}
        return cast(JsonObject, self._call("POST /models/{model}/versions/{version}/artifact/upload", params, idempotency_key=idempotency_key))

    def get_history(self, model: str, limit: Optional[int] = None, next_token: Optional[str] = None) -> JsonObject:
        """``GET /models/{model}/history``: every change to a model, newest first."""
        return cast(JsonObject, self._call("GET /models/{model}/history", {"model": model}, query={"limit": limit, "nextToken": next_token}))

    def promote(self, model: str, version: str, body: PromoteInput, *, idempotency_key: Optional[str] = None) -> JsonObject:
        """``POST …/promote``: development → staging → production (gated), or → archived."""
        params = {"model": model, "version": version}
        return cast(JsonObject, self._call("POST /models/{model}/versions/{version}/promote", params, body=body, idempotency_key=idempotency_key))

    def update_version(self, model: str, version: str, body: Mapping[str, Any]) -> ModelVersion:
        """``PATCH /models/{model}/versions/{version}``: ``{"tags": {...}}`` merges tags (a ``None`` value removes one)."""
        params = {"model": model, "version": version}
        return cast(ModelVersion, self._call("PATCH /models/{model}/versions/{version}", params, body=dict(body)))

    def approve(self, model: str, version: str, reason: str, *, idempotency_key: Optional[str] = None) -> JsonObject:
        """``POST …/approve``: approves the version's pending promotion (not by its requester); the gates are checked again."""
        params = {"model": model, "version": version}
        return cast(JsonObject, self._call("POST /models/{model}/versions/{version}/approve", params, body={"reason": reason}, idempotency_key=idempotency_key))

    def reject(self, model: str, version: str, reason: str, *, idempotency_key: Optional[str] = None) -> JsonObject:
        """``POST …/reject``: rejects the version's pending promotion; it stays where it was."""
        params = {"model": model, "version": version}
        return cast(JsonObject, self._call("POST /models/{model}/versions/{version}/reject", params, body={"reason": reason}, idempotency_key=idempotency_key))

    def list_approvals(self, model: str, state: Optional[str] = None, limit: Optional[int] = None, next_token: Optional[str] = None) -> JsonObject:
        """``GET /models/{model}/approvals``: approval requests, newest first (``state``: pending, approved, rejected, cancelled; a cancelled one carries ``cancelReason``)."""
        query = {"state": state, "limit": limit, "nextToken": next_token}
        return cast(JsonObject, self._call("GET /models/{model}/approvals", {"model": model}, query=query))

    def get_promotion_policy(self, model: str) -> JsonObject:
        """``GET /models/{model}/promotion-policy`` (404 when the model has none)."""
        return cast(JsonObject, self._call("GET /models/{model}/promotion-policy", {"model": model}))

    def set_promotion_policy(self, model: str, body: Mapping[str, Any]) -> JsonObject:
        """``PUT /models/{model}/promotion-policy``: replaces the policy (``gates``, ``requireApproval``, ``retention``)."""
        return cast(JsonObject, self._call("PUT /models/{model}/promotion-policy", {"model": model}, body=dict(body)))

    def set_alias(self, model: str, alias: str, version: str) -> JsonObject:
        """``PUT /models/{model}/aliases/{alias}``: points the alias at a version."""
        return cast(JsonObject, self._call("PUT /models/{model}/aliases/{alias}", {"model": model, "alias": alias}, body={"version": version}))

    def get_alias(self, model: str, alias: str) -> JsonObject:
        """``GET /models/{model}/aliases/{alias}``: the version the alias points to, with its fields."""
        return cast(JsonObject, self._call("GET /models/{model}/aliases/{alias}", {"model": model, "alias": alias}))

    def delete_alias(self, model: str, alias: str) -> None:
        """``DELETE /models/{model}/aliases/{alias}``."""
        self._call("DELETE /models/{model}/aliases/{alias}", {"model": model, "alias": alias})

    def rollback(self, model: str, body: RollbackInput, *, idempotency_key: Optional[str] = None) -> JsonObject:
        """``POST /models/{model}/rollback``: the previous production version becomes production again."""
        return cast(JsonObject, self._call("POST /models/{model}/rollback", {"model": model}, body=body, idempotency_key=idempotency_key))

    def record_deployment(self, model: str, version: str, body: DeploymentInput, *, idempotency_key: Optional[str] = None) -> JsonObject:
        """``POST …/deployments``: records a deployment of a version to an endpoint."""
        params = {"model": model, "version": version}
        return cast(JsonObject, self._call("POST /models/{model}/versions/{version}/deployments", params, body=body, idempotency_key=idempotency_key))

    def list_deployments(
        self, model: str, limit: Optional[int] = None, next_token: Optional[str] = None, version: Optional[str] = None, environment: Optional[str] = None
    ) -> JsonObject:
        """``GET /models/{model}/deployments``: newest first."""
        query = {"limit": limit, "nextToken": next_token, "version": version, "environment": environment}
        return cast(JsonObject, self._call("GET /models/{model}/deployments", {"model": model}, query=query))

    def register_dataset_version(self, name: str, body: DatasetVersionInput, *, idempotency_key: Optional[str] = None) -> JsonObject:
        """``POST /datasets/{name}/versions``: sha256, size, row count and inferred schema of a dataset."""
        return cast(JsonObject, self._call("POST /datasets/{name}/versions", {"name": name}, body=body, idempotency_key=idempotency_key))

    def list_dataset_versions(self, name: str, limit: Optional[int] = None, next_token: Optional[str] = None) -> JsonObject:
        """``GET /datasets/{name}/versions``: newest registration first."""
        return cast(JsonObject, self._call("GET /datasets/{name}/versions", {"name": name}, query={"limit": limit, "nextToken": next_token}))

    def get_dataset_version(self, name: str, version: str) -> JsonObject:
        """``GET /datasets/{name}/versions/{version}``."""
        return cast(JsonObject, self._call("GET /datasets/{name}/versions/{version}", {"name": name, "version": version}))

    def get_dataset_lineage(self, name: str, version: str) -> JsonObject:
        """``GET /datasets/{name}/versions/{version}/lineage``: the parent chain, from the version to its root."""
        return cast(JsonObject, self._call("GET /datasets/{name}/versions/{version}/lineage", {"name": name, "version": version}))

    def compare_dataset_versions(self, name: str, from_version: str, to_version: str) -> JsonObject:
        """``GET /datasets/{name}/compare``: columns added and removed, type changes, row counts."""
        return cast(JsonObject, self._call("GET /datasets/{name}/compare", {"name": name}, query={"from": from_version, "to": to_version}))

    # ----------------------------------------------------------------------------------- events and audit

    def record_event(self, body: EventInput, *, idempotency_key: Optional[str] = None) -> JsonObject:
        """``POST /events``: a pipeline event (training started/completed/failed, …)."""
        return cast(JsonObject, self._call("POST /events", body=body, idempotency_key=idempotency_key))

    def list_audit(
        self,
        model: Optional[str] = None,
        type: Optional[str] = None,
        since: Optional[str] = None,
        until: Optional[str] = None,
        limit: Optional[int] = None,
        next_token: Optional[str] = None,
    ) -> JsonObject:
        """``GET /audit``: the audit trail, newest first."""
        query = {"model": model, "type": type, "since": since, "until": until, "limit": limit, "nextToken": next_token}
        return cast(JsonObject, self._call("GET /audit", query=query))

    # --------------------------------------------------------------------------------------------- drift

    def create_baseline(self, model: str, body: CreateBaselineInput, *, idempotency_key: Optional[str] = None) -> Baseline:
        """``POST /models/{model}/baselines``: inline records or Model Monitor documents (ready at once), or S3 (building)."""
        return cast(Baseline, self._call("POST /models/{model}/baselines", {"model": model}, body=body, idempotency_key=idempotency_key))

    def list_baselines(self, model: str, limit: Optional[int] = None, next_token: Optional[str] = None) -> JsonObject:
        """``GET /models/{model}/baselines``: one page ``{items, nextToken, activeBaselineId}``, newest first."""
        return cast(JsonObject, self._call("GET /models/{model}/baselines", {"model": model}, query={"limit": limit, "nextToken": next_token}))

    def get_baseline(self, model: str, baseline_id: str, profile: Optional[bool] = None) -> Baseline:
        """``GET /models/{model}/baselines/{baselineId}``: status, features, and the profile when asked."""
        params = {"model": model, "baselineId": baseline_id}
        return cast(Baseline, self._call("GET /models/{model}/baselines/{baselineId}", params, query={"profile": profile}))

    def activate_baseline(self, model: str, baseline_id: str) -> Baseline:
        """``POST …/baselines/{baselineId}/activate``: a ready baseline becomes the model's active one."""
        return cast(Baseline, self._call("POST /models/{model}/baselines/{baselineId}/activate", {"model": model, "baselineId": baseline_id}))

    def get_baseline_statistics(self, model: str, baseline_id: str) -> JsonObject:
        """``GET …/baselines/{baselineId}/statistics.json``: the baseline in Model Monitor's statistics.json format."""
        params = {"model": model, "baselineId": baseline_id}
        return cast(JsonObject, self._call("GET /models/{model}/baselines/{baselineId}/statistics.json", params))

    def get_baseline_constraints(self, model: str, baseline_id: str) -> JsonObject:
        """``GET …/baselines/{baselineId}/constraints.json``: imported constraints, else suggested from the profile."""
        params = {"model": model, "baselineId": baseline_id}
        return cast(JsonObject, self._call("GET /models/{model}/baselines/{baselineId}/constraints.json", params))

    def check_drift(self, model: str, body: DriftCheckInput, *, idempotency_key: Optional[str] = None) -> DriftCheck:
        """``POST /models/{model}/drift-checks``: inline records answer with the report; S3 data answers ``pending``."""
        return cast(DriftCheck, self._call("POST /models/{model}/drift-checks", {"model": model}, body=body, idempotency_key=idempotency_key))

    def list_drift_checks(self, model: str, limit: Optional[int] = None, next_token: Optional[str] = None) -> JsonObject:
        """``GET /models/{model}/drift-checks``: one page ``{items, nextToken}`` of summaries, newest first."""
        return cast(JsonObject, self._call("GET /models/{model}/drift-checks", {"model": model}, query={"limit": limit, "nextToken": next_token}))

    def get_drift_check(self, model: str, check_id: str) -> DriftCheck:
        """``GET /models/{model}/drift-checks/{checkId}``: status, summary and, once completed, the report."""
        return cast(DriftCheck, self._call("GET /models/{model}/drift-checks/{checkId}", {"model": model, "checkId": check_id}))

    def get_drift_report_html(self, model: str, check_id: str) -> str:
        """``GET …/drift-checks/{checkId}/report.html``: the self-contained HTML report."""
        params = {"model": model, "checkId": check_id}
        return cast(str, self._call("GET /models/{model}/drift-checks/{checkId}/report.html", params, text=True))

    def get_constraint_violations(self, model: str, check_id: str) -> JsonObject:
        """``GET …/drift-checks/{checkId}/constraint_violations.json``: Model Monitor's view of a completed check."""
        params = {"model": model, "checkId": check_id}
        return cast(JsonObject, self._call("GET /models/{model}/drift-checks/{checkId}/constraint_violations.json", params))

    def set_monitoring(self, model: str, body: MonitoringInput) -> JsonObject:
        """``PUT /models/{model}/monitoring``: scheduled drift monitoring of SageMaker data capture."""
        return cast(JsonObject, self._call("PUT /models/{model}/monitoring", {"model": model}, body=body))

    def get_monitoring(self, model: str) -> JsonObject:
        """``GET /models/{model}/monitoring``: the settings and the last run."""
        return cast(JsonObject, self._call("GET /models/{model}/monitoring", {"model": model}))

    # --------------------------------------------------------------------------------------- performance

    def record_batch(self, model: str, version: str, body: RecordBatchInput, *, idempotency_key: Optional[str] = None) -> JsonObject:
        """``POST …/versions/{version}/batches``: predictions with their actuals; answers the batch's metrics."""
        params = {"model": model, "version": version}
        return cast(JsonObject, self._call("POST /models/{model}/versions/{version}/batches", params, body=body, idempotency_key=idempotency_key))

    def delete_batch(self, model: str, version: str, batch_id: str) -> JsonObject:
        """``DELETE …/versions/{version}/batches/{batchId}``: removes a mistaken batch (its raw rows and joins), audited."""
        params = {"model": model, "version": version, "batchId": batch_id}
        return cast(JsonObject, self._call("DELETE /models/{model}/versions/{version}/batches/{batchId}", params))

    def log_predictions(self, model: str, version: str, body: LogPredictionsInput, *, idempotency_key: Optional[str] = None) -> JsonObject:
        """``POST …/versions/{version}/predictions``: predictions now, joined with their ground truth later."""
        params = {"model": model, "version": version}
        return cast(JsonObject, self._call("POST /models/{model}/versions/{version}/predictions", params, body=body, idempotency_key=idempotency_key))

    def record_ground_truth(self, model: str, body: GroundTruthInput, *, idempotency_key: Optional[str] = None) -> JsonObject:
        """``POST /models/{model}/ground-truth``: joins actuals to logged predictions and records the batches;
        with ``format: "model_monitor"`` joins Model Monitor's ground truth to the data capture (a join above the
        stack's bound answers a pending job: :meth:`wait_for_ground_truth_job`)."""
        return cast(JsonObject, self._call("POST /models/{model}/ground-truth", {"model": model}, body=body, idempotency_key=idempotency_key))

    def get_ground_truth_job(self, model: str, job_id: str) -> JsonObject:
        """``GET /models/{model}/performance/ground-truth-jobs/{jobId}``: a Model Monitor join run in the worker
        (the 202 of :meth:`record_ground_truth` above ``groundTruthJoinInlineBytes``): status, result or error."""
        return cast(JsonObject, self._call("GET /models/{model}/performance/ground-truth-jobs/{jobId}", {"model": model, "jobId": job_id}))

    def get_ground_truth_schedule(self, model: str) -> JsonObject:
        """``GET /models/{model}/performance/ground-truth-schedule``: the scheduled Model Monitor ground-truth
        join (settings, watermark) and what its last run did."""
        return cast(JsonObject, self._call("GET /models/{model}/performance/ground-truth-schedule", {"model": model}))

    def set_ground_truth_schedule(self, model: str, body: JsonObject) -> JsonObject:
        """``PUT /models/{model}/performance/ground-truth-schedule``: joins Model Monitor's ground truth
        (``format``, ``dataUri``, ``captureUri``, ``version``, ``probabilityThreshold`` or ``task``) to the
        data capture on every monitor pass."""
        return cast(JsonObject, self._call("PUT /models/{model}/performance/ground-truth-schedule", {"model": model}, body=body))

    def get_performance_thresholds(self, model: str) -> JsonObject:
        """``GET /models/{model}/performance/thresholds``: effective, stored and default thresholds."""
        return cast(JsonObject, self._call("GET /models/{model}/performance/thresholds", {"model": model}))

    def set_performance_thresholds(self, model: str, body: PerformanceThresholdsInput) -> JsonObject:
        """``PUT /models/{model}/performance/thresholds``: replaces the stored thresholds."""
        return cast(JsonObject, self._call("PUT /models/{model}/performance/thresholds", {"model": model}, body=body))

    def set_estimation_reference(self, model: str, version: str, body: JsonObject) -> JsonObject:
        """``PUT /models/{model}/versions/{version}/estimation-reference``: the labelled window
        (``from``, ``to``, optional ``method``) performance estimation calibrates on; answers the fit."""
        return cast(JsonObject, self._call("PUT /models/{model}/versions/{version}/estimation-reference", {"model": model, "version": version}, body=body))

    def get_estimation_reference(self, model: str, version: str) -> JsonObject:
        """``GET /models/{model}/versions/{version}/estimation-reference``: the stored (or default) reference and its fit."""
        return cast(JsonObject, self._call("GET /models/{model}/versions/{version}/estimation-reference", {"model": model, "version": version}))

    def performance_report(self, model: str, version: Optional[str] = None, days: Optional[int] = None) -> JsonObject:
        """``GET /models/{model}/performance``: window metrics, per-day aggregates, trend, worst batches."""
        return cast(JsonObject, self._call("GET /models/{model}/performance", {"model": model}, query={"version": version, "days": days}))

    def compare_performance(self, model: str, versions: Union[str, Sequence[str]], days: Optional[int] = None) -> JsonObject:
        """``GET /models/{model}/performance/compare``: live metrics of versions over the same window."""
        query = {"versions": _join(versions), "days": days}
        return cast(JsonObject, self._call("GET /models/{model}/performance/compare", {"model": model}, query=query))

    # -------------------------------------------------------------------------------------------- alerts

    def list_alerts(
        self,
        model: Optional[str] = None,
        state: Optional[str] = None,
        type: Optional[str] = None,
        since: Optional[str] = None,
        limit: Optional[int] = None,
        next_token: Optional[str] = None,
    ) -> JsonObject:
        """``GET /alerts``: the inbox, newest first (``{items, nextToken}``)."""
        query = {"model": model, "state": state, "type": type, "since": since, "limit": limit, "nextToken": next_token}
        return cast(JsonObject, self._call("GET /alerts", query=query))

    def get_alert(self, alert_id: str) -> JsonObject:
        """``GET /alerts/{alertId}``: one alert with its occurrences and who acknowledged or resolved it."""
        return cast(JsonObject, self._call("GET /alerts/{alertId}", {"alertId": alert_id}))

    def acknowledge_alert(self, alert_id: str, reason: str, *, idempotency_key: Optional[str] = None) -> JsonObject:
        """``POST /alerts/{alertId}/acknowledge``: someone is on it (409 unless the alert is open)."""
        return cast(JsonObject, self._call("POST /alerts/{alertId}/acknowledge", {"alertId": alert_id}, body={"reason": reason}, idempotency_key=idempotency_key))

    def resolve_alert(self, alert_id: str, reason: str, *, idempotency_key: Optional[str] = None) -> JsonObject:
        """``POST /alerts/{alertId}/resolve`` (409 when already resolved)."""
        return cast(JsonObject, self._call("POST /alerts/{alertId}/resolve", {"alertId": alert_id}, body={"reason": reason}, idempotency_key=idempotency_key))

    def test_alert(self, note: Optional[str] = None, *, idempotency_key: Optional[str] = None) -> JsonObject:
        """``POST /alerts/test``: proves delivery (local: a test alert through the topic; deployed: one alarm to ALARM and back)."""
        body: Dict[str, Any] = {} if note is None else {"note": note}
        return cast(JsonObject, self._call("POST /alerts/test", body=body, idempotency_key=idempotency_key))

    # ---------------------------------------------------------------------------------------- retraining

    def request_retraining(self, model: str, reason: str) -> JsonObject:
        """``POST /models/{model}/retraining``: publishes ``mlwatch Retraining Requested`` (trigger manual; never rate-limited)."""
        return cast(JsonObject, self._call("POST /models/{model}/retraining", {"model": model}, body={"reason": reason}))

    def get_retraining_policy(self, model: str) -> JsonObject:
        """``GET /models/{model}/retraining-policy`` (every trigger off when none was set)."""
        return cast(JsonObject, self._call("GET /models/{model}/retraining-policy", {"model": model}))

    def set_retraining_policy(self, model: str, body: Mapping[str, Any]) -> JsonObject:
        """``PUT /models/{model}/retraining-policy``: replaces the policy (``onDriftPsiAbove``,
        ``onPerformanceDegradationPercent``, ``schedule: {everyHours}``, ``minHoursBetween``; an absent trigger is off)."""
        return cast(JsonObject, self._call("PUT /models/{model}/retraining-policy", {"model": model}, body=dict(body)))

    def list_retraining_requests(self, model: str, limit: Optional[int] = None, next_token: Optional[str] = None) -> JsonObject:
        """``GET /models/{model}/retraining-requests``: requested, suppressed and failed requests, newest first."""
        query = {"limit": limit, "nextToken": next_token}
        return cast(JsonObject, self._call("GET /models/{model}/retraining-requests", {"model": model}, query=query))
