"""Artifact uploads to the registry's presigned PUT URLs.

The file is streamed with the headers the storage needs: ``Content-Type: application/octet-stream`` (urllib's
default, ``application/x-www-form-urlencoded``, makes an S3 emulator read the body as a form and store nothing),
``Content-Length`` (S3 refuses a chunked PUT) and ``Content-MD5`` (the storage refuses bytes changed on the
way). The registry presigns without a flexible checksum, so the URL signs only ``host``; a URL that signs a
header this module does not send is refused before sending.
"""
import base64
import hashlib
import os
import urllib.error
import urllib.parse
import urllib.request
from datetime import datetime, timezone
from typing import Any, Mapping, NamedTuple, Optional

from ._errors import UploadError

__all__ = ["Digest", "digest_file", "upload_usable", "put_file"]

_PRODUCED = {"host", "content-type", "content-length", "content-md5"}
_CHUNK = 1 << 20


class Digest(NamedTuple):
    """Size and checksums of a file."""

    size: int
    sha256: str
    md5_base64: str


def digest_file(path: str) -> Digest:
    """Reads the file once: its size, sha256 (hex) and MD5 (base64)."""
    sha, md5, size = hashlib.sha256(), hashlib.md5(), 0
    with open(path, "rb") as f:
        while True:
            chunk = f.read(_CHUNK)
            if not chunk:
                break
            sha.update(chunk)
            md5.update(chunk)
            size += len(chunk)
    return Digest(size, sha.hexdigest(), base64.b64encode(md5.digest()).decode("ascii"))


def upload_usable(upload: Optional[Mapping[str, Any]], margin: float = 60.0) -> bool:
    """Whether a presigned upload still has at least ``margin`` seconds of life."""
    if not upload or "url" not in upload or "expiresAt" not in upload:
        return False
    expires = datetime.fromisoformat(str(upload["expiresAt"]).replace("Z", "+00:00"))
    return (expires - datetime.now(timezone.utc)).total_seconds() > margin


def put_file(upload: Mapping[str, Any], path: str, digest: Digest, timeout: float) -> None:
    """PUTs the file to the presigned URL.

    :raises UploadError: when the URL signs a header this client does not send, or the storage refuses the PUT
    """
    url = str(upload["url"])
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(url).query)
    signed = query.get("X-Amz-SignedHeaders", ["host"])[0].lower().split(";")
    unknown = [h for h in signed if h not in _PRODUCED]
    if unknown:
        raise UploadError(f"the upload URL signs {', '.join(unknown)}, which this client does not send; ask the registry for a new URL")
    headers = {"Content-Type": "application/octet-stream", "Content-Length": str(digest.size), "Content-MD5": digest.md5_base64}
    if os.path.getsize(path) != digest.size:
        raise UploadError(f"{path} changed while it was read")
    with open(path, "rb") as f:
        req = urllib.request.Request(url, data=f, method=str(upload.get("method", "PUT")), headers=headers)
        try:
            with urllib.request.urlopen(req, timeout=timeout) as res:
                res.read()
        except urllib.error.HTTPError as err:
            body = err.read().decode("utf-8", "replace")[:300]
            code = body.split("<Code>", 1)[1].split("</Code>", 1)[0] if "<Code>" in body else ""
            raise UploadError(f"the storage refused the artifact upload with HTTP {err.code}{' ' + code if code else ''}", err.code) from None
        except (urllib.error.URLError, ConnectionError, TimeoutError) as err:
            raise UploadError(f"the artifact upload got no answer from {urllib.parse.urlsplit(url).netloc} ({getattr(err, 'reason', err)})") from None
