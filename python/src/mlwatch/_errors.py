"""The client's exceptions: an answer the API refused, and a request that got no answer."""
from typing import Optional

__all__ = ["MlwatchError", "ApiError", "NetworkError"]


class MlwatchError(Exception):
    """Base class of every error the client raises."""


class ApiError(MlwatchError):
    """The API answered with a 4xx or 5xx status (after the retries, for 429 and 5xx).

    ``code`` is the API's error code (``NOT_FOUND``, ``CONFLICT``, ``VALIDATION_ERROR``, ...); API Gateway's own
    refusals (``{"message": ...}``) get ``HTTP_<status>``.
    """

    def __init__(self, status: int, code: str, message: str, request: str, request_id: Optional[str] = None) -> None:
        super().__init__(f"{request}: {code} (HTTP {status}): {message}")
        self.status = status
        self.code = code
        self.message = message
        self.request = request
        self.request_id = request_id


class NetworkError(MlwatchError):
    """No attempt got an answer (connection refused or reset, timeout)."""

    def __init__(self, message: str, request: str) -> None:
        super().__init__(message)
        self.message = message
        self.request = request
