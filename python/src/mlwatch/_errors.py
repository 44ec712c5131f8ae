"""The client's exceptions: an answer the API refused, and a request that got no answer."""
from typing import Any, Dict, Optional

__all__ = ["MlwatchError", "ApiError", "NetworkError", "UploadError"]


class MlwatchError(Exception):
    """Base class of every error the client raises."""


class ApiError(MlwatchError):
    """The API answered with a 4xx or 5xx status (after the retries, for 429 and 5xx).

    ``status`` is the HTTP status; ``code`` the API's error code (``NOT_FOUND``, ``GATE_FAILED``,
    ``VALIDATION_ERROR``, ...; API Gateway's own refusals ``{"message": ...}`` get ``HTTP_<status>``); ``message``
    the API's message; ``details`` the structured facts some errors carry (``{"failed": [...]}`` with
    ``GATE_FAILED``: every failed gate), else ``None``; ``request_id`` the request's id (header
    ``x-request-id``, or the body's ``requestId`` of a 500), to quote when reporting it.
    """

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        request: str,
        request_id: Optional[str] = None,
        details: Optional[Dict[str, Any]] = None,
    ) -> None:
        super().__init__(f"{request}: {code} (HTTP {status}): {message}")
        self.status = status
        self.code = code
        self.message = message
        self.request = request
        self.request_id = request_id
        self.details = details


class NetworkError(MlwatchError):
    """No attempt got an answer (connection refused or reset, timeout)."""

    def __init__(self, message: str, request: str) -> None:
        super().__init__(message)
        self.message = message
        self.request = request


class UploadError(MlwatchError):
    """An artifact upload did not arrive whole: the storage refused the presigned PUT (``status`` is its HTTP
    status), or the sha256 the registry recorded on verification is not the local file's (``status`` is ``None``)."""

    def __init__(self, message: str, status: Optional[int] = None) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
