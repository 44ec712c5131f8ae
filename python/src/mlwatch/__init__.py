"""mlwatch: the Python client of the mlwatch API (model monitoring and model versioning on AWS).

    import mlwatch
    client = mlwatch.Client()   # MLWATCH_ENDPOINT; SigV4 through botocore unless the endpoint is loopback
    client.register_version("churn", {"artifactUri": "s3://models/churn/model.tar.gz", "metrics": {"auc": 0.91}})
"""
from ._client import DEFAULT_ENDPOINT, Client, encode_json, is_retryable_status, retry_delay
from ._errors import ApiError, MlwatchError, NetworkError, UploadError
from ._operations import OPERATION_IDS, OPERATIONS
from ._types import *  # noqa: F401,F403 - the request and answer shapes
from .records import clean_records, clean_value, parse_cell, read_records

__version__ = "0.1.0"

__all__ = [
    "Client",
    "ApiError",
    "MlwatchError",
    "NetworkError",
    "UploadError",
    "OPERATIONS",
    "OPERATION_IDS",
    "DEFAULT_ENDPOINT",
    "clean_records",
    "clean_value",
    "parse_cell",
    "read_records",
    "encode_json",
    "is_retryable_status",
    "retry_delay",
    "__version__",
]
