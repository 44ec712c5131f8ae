"""What :class:`mlwatch.Client` does in several calls: upload and verify an artifact, a baseline or a batch from a
local file, wait for a drift check or a ground-truth join job. Each builds on the one-operation methods :class:`mlwatch.Client` defines.
"""
import time
from typing import Any, Callable, Mapping, Optional, Sequence, cast

from ._errors import UploadError
from ._files import baseline_body, batch_body
from ._transport import Transport
from ._types import Baseline, CreateBaselineInput, DriftCheck, JsonObject, ModelVersion, RecordBatchInput
from ._upload import digest_file, put_file, upload_usable
from .records import read_records

__all__ = ["Workflows"]


class Workflows(Transport):
    """The several-call methods of :class:`mlwatch.Client` (a base class: the one-call methods they use are Client's)."""

    def upload_artifact(self, model: str, version: str, path: str, *, upload: Optional[Mapping[str, Any]] = None, timeout: float = 900.0) -> ModelVersion:
        """Uploads the artifact of a version registered with ``requestUpload: True``, verifies it and returns the
        verified version.

        The file is streamed with ``Content-Type: application/octet-stream``, ``Content-Length`` and ``Content-MD5``;
        the sha256 the registry records is compared with the file's. ``upload`` is the registration's
        ``upload`` (a new URL is asked for when it is missing or expires within a minute).

        :raises UploadError: when the storage refuses the file, or the recorded sha256 is not the file's
        :raises ApiError: 409 when the artifact is already available or external
        """
        digest = digest_file(path)
        if not upload_usable(upload):
            upload = cast(Mapping[str, Any], self.create_artifact_upload_url(model, version)["upload"])
        put_file(cast(Mapping[str, Any], upload), path, digest, timeout)
        verified = self.verify_artifact(model, version)
        if verified.get("currentSha256") != digest.sha256:
            raise UploadError(f"the registry recorded sha256 {verified.get('currentSha256')} for {model} {version}, but {path} has {digest.sha256}")
        return self.get_version(model, version)

    def create_baseline_from_file(
        self,
        model: str,
        path: str,
        *,
        categorical: Optional[Sequence[str]] = None,
        features: Optional[Sequence[str]] = None,
        exclude: Optional[Sequence[str]] = None,
        idempotency_key: Optional[str] = None,
    ) -> Baseline:
        """A baseline of ``model`` from a local file (CSV with a header row, JSON Lines, or a JSON array), sent
        inline and ready at once: what ``mlwatch baselines create MODEL --data FILE`` does."""
        body = baseline_body(read_records(path), categorical, features, exclude)
        return self.create_baseline(model, cast(CreateBaselineInput, body), idempotency_key=idempotency_key)

    def record_batch_from_file(
        self,
        model: str,
        version: str,
        path: str,
        *,
        task: Optional[str] = None,
        prediction_column: str = "prediction",
        actual_column: str = "actual",
        score_column: Optional[str] = None,
        idempotency_key: Optional[str] = None,
    ) -> JsonObject:
        """A batch of ``version``'s predictions with their actuals from a local file (CSV with a header row, JSON
        Lines, or a JSON array; one row per prediction): what ``mlwatch performance record`` does. The score column
        defaults to ``score`` when every row has one; the task, when not given, is classification with scores, a
        label that is not a number, or 0/1 labels, else regression.

        :raises ValueError: when the file holds no rows or a row lacks a column
        """
        body = batch_body(read_records(path), path, task, prediction_column, actual_column, score_column)
        return self.record_batch(model, version, cast(RecordBatchInput, body), idempotency_key=idempotency_key)

    def _poll(self, read: Callable[[], JsonObject], what: str, interval: float, timeout: float) -> JsonObject:
        """Reads a job until its ``status`` is ``completed`` or ``failed`` and returns that read."""
        deadline = time.monotonic() + timeout
        while True:
            job = read()
            if job.get("status") in ("completed", "failed"):
                return job
            if time.monotonic() > deadline:
                raise TimeoutError(f"{what} still {job.get('status')} after {timeout} s")
            self._sleep(interval)

    def wait_for_check(self, model: str, check_id: str, interval: float = 2.0, timeout: float = 900.0) -> DriftCheck:
        """Polls a drift check until it is ``completed`` or ``failed`` and returns it.

        :raises TimeoutError: when it is still pending or running after ``timeout`` seconds
        """
        read = cast(Callable[[], JsonObject], lambda: self.get_drift_check(model, check_id))
        return cast(DriftCheck, self._poll(read, f"drift check {check_id} of {model}", interval, timeout))

    def wait_for_ground_truth_job(self, model: str, job_id: str, interval: float = 2.0, timeout: float = 900.0) -> JsonObject:
        """Polls a ground-truth join job (a Model Monitor join run in the worker) until it is ``completed``
        (``result``: the join and the batch) or ``failed`` (``error``) and returns it.

        :raises TimeoutError: when it is still pending or running after ``timeout`` seconds
        """
        return self._poll(lambda: self.get_ground_truth_job(model, job_id), f"ground-truth join job {job_id} of {model}", interval, timeout)

    #: The TypeScript client's name of :meth:`wait_for_check`.
    wait_for_drift_check = wait_for_check
