"""How the mlwatch client reaches the API: the endpoint and whether to sign (loopback hosts go plain), SigV4 by
botocore with the session's credentials, one request with its retries (429 and 5xx answers and network failures,
exponential backoff with full jitter, ``Retry-After``; one ``Idempotency-Key`` over all attempts of a POST), and
refusals as :class:`ApiError`. :class:`mlwatch.Client` adds one method per operation.
"""
import json
import os
import random
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from typing import Any, Callable, Dict, Mapping, Optional, Sequence, Union

from ._errors import ApiError, NetworkError

__all__ = ["Transport", "DEFAULT_ENDPOINT", "is_retryable_status", "retry_delay", "encode_json"]

#: The local server's address, the default endpoint when neither ``endpoint`` nor ``MLWATCH_ENDPOINT`` is set.
DEFAULT_ENDPOINT = "http://127.0.0.1:3000"

_LOOPBACK = ("localhost", "::1")
Query = Mapping[str, Union[str, int, float, bool, None]]


def _is_loopback(host: str) -> bool:
    return host.lower() in _LOOPBACK or host.startswith("127.")


def is_retryable_status(status: int) -> bool:
    """Whether an answer with this status is worth retrying: 429 and 5xx except 501."""
    return status == 429 or (status >= 500 and status != 501)


def _in_progress(status: int, raw: str) -> bool:
    """Whether a 409 says the first request with this Idempotency-Key is still running (an attempt that
    timed out on a slow server was sent again): the client waits and sends it once more."""
    if status != 409:
        return False
    try:
        return json.loads(raw).get("error", {}).get("code") == "IDEMPOTENCY_IN_PROGRESS"
    except (ValueError, AttributeError):
        return False


def retry_delay(retry: int, base: float, maximum: float, retry_after: Optional[str] = None, rand: Callable[[], float] = random.random) -> float:
    """Seconds to wait before retry ``retry`` (1-based): full jitter under ``base * 2**(retry-1)``, capped at
    ``maximum``, or the server's ``Retry-After`` seconds when it gave one (also capped)."""
    if retry_after is not None:
        try:
            seconds = float(retry_after)
        except ValueError:
            seconds = -1.0
        if seconds >= 0:
            return min(maximum, seconds)
    return rand() * min(maximum, base * 2 ** (retry - 1))


def encode_json(body: Any) -> bytes:
    """The body as UTF-8 JSON; NaN and infinities are refused (they are not JSON) with a clear error.

    :raises ValueError: when the body holds NaN or an infinity (use ``None`` for a missing value, see
        :func:`mlwatch.clean_records`)
    """
    try:
        return json.dumps(body, allow_nan=False, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    except ValueError as err:
        raise ValueError(
            f"the request body holds NaN or Infinity, which JSON cannot carry; send None for a missing value "
            f"(mlwatch.clean_records does that): {err}"
        ) from None


def _seg(value: str) -> str:
    return urllib.parse.quote(str(value), safe="")


def _join(values: Union[str, Sequence[str]]) -> str:
    return values if isinstance(values, str) else ",".join(values)


class Transport:
    """The endpoint, signing, retries and one request; the constructor's parameters are :class:`mlwatch.Client`'s."""

    def __init__(
        self,
        endpoint: Optional[str] = None,
        region: Optional[str] = None,
        session: Any = None,
        *,
        sign: Optional[bool] = None,
        max_attempts: int = 4,
        retry_base: float = 0.2,
        max_retry_delay: float = 5.0,
        timeout: float = 30.0,
        actor: Optional[str] = None,
    ) -> None:
        self.endpoint = (endpoint or os.environ.get("MLWATCH_ENDPOINT") or DEFAULT_ENDPOINT).rstrip("/")
        parts = urllib.parse.urlsplit(self.endpoint)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"mlwatch.Client: endpoint must be an http:// or https:// URL, got {self.endpoint!r}")
        self._host = parts.hostname
        self.sign = (not _is_loopback(self._host)) if sign is None else bool(sign)
        self.max_attempts = max(1, int(max_attempts))
        self.retry_base = retry_base
        self.max_retry_delay = max_retry_delay
        self.timeout = timeout
        self._region = region
        self._session = session
        self._credentials: Any = None
        self._sleep: Callable[[float], None] = time.sleep
        self.actor = actor

    # ------------------------------------------------------------------------------------------ transport

    def _signing_session(self) -> Any:
        if self._session is None:
            import botocore.session

            self._session = botocore.session.get_session()
        return self._session

    def region(self) -> str:
        """The region requests are signed for.

        :raises ValueError: when no region can be found
        """
        if self._region:
            return self._region
        labels = self._host.split(".")
        if len(labels) > 3 and labels[1] == "execute-api":
            return labels[2]
        session = self._signing_session()
        found = getattr(session, "region_name", None)
        if not found and hasattr(session, "get_config_variable"):
            found = session.get_config_variable("region")
        found = found or os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION")
        if not found:
            raise ValueError("mlwatch.Client: no region to sign with; pass region= or set AWS_REGION")
        self._region = found
        return found

    def _frozen_credentials(self) -> Any:
        if self._credentials is None:
            self._credentials = self._signing_session().get_credentials()
            if self._credentials is None:
                raise ValueError("mlwatch.Client: no AWS credentials found to sign requests with (a SageMaker job's role provides them)")
        # Refreshable credentials (roles) hand out a consistent snapshot per signature.
        return self._credentials.get_frozen_credentials()

    def _signed_headers(self, method: str, url: str, headers: Dict[str, str], data: Optional[bytes]) -> Dict[str, str]:
        from botocore.auth import SigV4Auth
        from botocore.awsrequest import AWSRequest

        request = AWSRequest(method=method, url=url, data=data, headers=dict(headers))
        SigV4Auth(self._frozen_credentials(), "execute-api", self.region()).add_auth(request)
        return dict(request.headers.items())

    def request(
        self,
        method: str,
        path: str,
        *,
        query: Optional[Query] = None,
        body: Any = None,
        idempotency_key: Optional[str] = None,
        text: bool = False,
    ) -> Any:
        """Sends one request (with retries) and returns the parsed JSON answer (or the text when ``text``).

        :raises ApiError: for a 4xx, or a 429/5xx still failing after the last attempt
        :raises NetworkError: when no attempt got an answer
        :raises ValueError: when the body holds NaN or Infinity
        """
        method = method.upper()
        url = self.endpoint + path
        pairs = [(k, "true" if v is True else "false" if v is False else str(v)) for k, v in (query or {}).items() if v is not None]
        if pairs:
            url += "?" + urllib.parse.urlencode(pairs, quote_via=urllib.parse.quote)
        data = None if body is None else encode_json(body)
        headers = {"accept": "text/html, application/json" if text else "application/json"}
        if data is not None:
            headers["content-type"] = "application/json"
        if self.actor is not None:
            # Local mode only: the local server records this actor; the deployed API ignores the header.
            headers["x-mlwatch-actor"] = self.actor
        if method == "POST":
            # One key for the whole logical call: every retry carries it, so the API applies the call once.
            headers["idempotency-key"] = idempotency_key or str(uuid.uuid4())
        label = f"{method} {urllib.parse.urlsplit(url).path}"

        attempt = 0
        while True:
            attempt += 1
            send = self._signed_headers(method, url, headers, data) if self.sign else dict(headers)
            req = urllib.request.Request(url, data=data, method=method, headers=send)
            try:
                with urllib.request.urlopen(req, timeout=self.timeout) as res:
                    raw = res.read().decode("utf-8")
                if text:
                    return raw
                return json.loads(raw) if raw else None
            except urllib.error.HTTPError as err:
                raw = err.read().decode("utf-8", "replace")
                if (is_retryable_status(err.code) or _in_progress(err.code, raw)) and attempt < self.max_attempts:
                    self._sleep(retry_delay(attempt, self.retry_base, self.max_retry_delay, err.headers.get("retry-after")))
                    continue
                raise _api_error(err.code, raw, label, err.headers.get("x-request-id")) from None
            except (urllib.error.URLError, ConnectionError, socket.timeout, TimeoutError) as err:
                if attempt < self.max_attempts:
                    self._sleep(retry_delay(attempt, self.retry_base, self.max_retry_delay))
                    continue
                reason = getattr(err, "reason", err)
                plural = "s" if attempt > 1 else ""
                raise NetworkError(f"{label}: no answer from {self.endpoint} after {attempt} attempt{plural} ({reason})", label) from None

    def _call(self, operation: str, params: Mapping[str, str] = {}, **options: Any) -> Any:
        """Calls an operation by its ``METHOD /path/{param}`` key (see :data:`mlwatch.OPERATIONS`)."""
        method, template = operation.split(" ", 1)
        path = template
        for name, value in params.items():
            path = path.replace("{" + name + "}", _seg(value))
        return self.request(method, path, **options)


def _api_error(status: int, raw: str, label: str, request_id: Optional[str]) -> ApiError:
    code = f"HTTP_{status}"
    message = raw[:500] or f"HTTP {status}"
    details: Optional[Dict[str, Any]] = None
    try:
        parsed = json.loads(raw)
    except ValueError:
        parsed = None
    if isinstance(parsed, dict):
        error = parsed.get("error")
        if isinstance(error, dict):
            code = str(error.get("code") or code)
            message = str(error.get("message") or message)
            if isinstance(error.get("details"), dict):
                details = error["details"]
            if request_id is None and isinstance(error.get("requestId"), str):
                request_id = error["requestId"]
        elif isinstance(parsed.get("message"), str):  # API Gateway's own refusals
            message = parsed["message"]
    return ApiError(status, code, message, label, request_id, details)
