"""Drives the installed wheel's file helpers against the local server (run by client.test.ts): an artifact
uploaded from a file (the registration's URL, and a fresh one for a registered version), a baseline and a
batch from local files. The stored object is read back from the emulator, so its bytes are checked, not the
registry's word for them.

Prints one JSON object. Environment: MLWATCH_ENDPOINT, EMULATOR, BUCKET, MODEL, DATA_DIR.
"""
import hashlib
import json
import os
import sys
import urllib.parse

import botocore.session

import mlwatch

env = os.environ
model = env["MODEL"]
data = env["DATA_DIR"]
client = mlwatch.Client(retry_base=0.05)
out = {}


s3 = botocore.session.get_session().create_client(
    "s3", endpoint_url=env["EMULATOR"], region_name="us-east-1", aws_access_key_id="test", aws_secret_access_key="test"
)


def stored(uri):
    """The object's bytes, read straight from the emulator."""
    parts = urllib.parse.urlsplit(uri)
    return s3.get_object(Bucket=parts.netloc, Key=parts.path.lstrip("/"))["Body"].read()


artifact = os.path.join(data, "model.bin")
with open(artifact, "wb") as f:
    f.write(os.urandom(200_000))
with open(artifact, "rb") as f:
    local = f.read()

first = client.register_version(model, {"requestUpload": True, "primaryMetric": "rmse", "direction": "lower", "metrics": {"rmse": 2.0}})
verified = client.upload_artifact(model, first["version"], artifact, upload=first["upload"])
body = stored(verified["artifact"]["uri"])
out["first"] = {
    "status": verified["artifact"]["status"],
    "sizeBytes": verified["artifact"]["sizeBytes"],
    "recordedMatches": verified["artifact"]["sha256"] == hashlib.sha256(local).hexdigest(),
    "storedSize": len(body),
    "storedMatches": hashlib.sha256(body).hexdigest() == hashlib.sha256(local).hexdigest(),
}

second = client.register_version(model, {"requestUpload": True, "metrics": {"rmse": 1.5}})
again = client.upload_artifact(model, second["version"], artifact)  # no URL given: a fresh one is issued
out["second"] = {"status": again["artifact"]["status"], "storedMatches": hashlib.sha256(stored(again["artifact"]["uri"])).hexdigest() == hashlib.sha256(local).hexdigest()}
try:
    client.create_artifact_upload_url(model, second["version"])
    out["renewAvailable"] = None
except mlwatch.ApiError as err:
    out["renewAvailable"] = {"status": err.status, "code": err.code}

baseline = client.create_baseline_from_file(model, os.path.join(data, "train.csv"), exclude=["income"])
out["baseline"] = {"status": baseline["status"], "rows": baseline.get("rows"), "features": sorted(baseline.get("features", {}))}

batch_file = os.path.join(data, "batch.jsonl")
with open(batch_file, "w", encoding="utf-8") as f:
    for i in range(20):
        f.write(json.dumps({"prediction": i * 1.0, "actual": i + 0.5}) + "\n")
batch = client.record_batch_from_file(model, first["version"], batch_file)
out["batch"] = {"task": batch["task"], "count": batch["count"], "rmse": round(batch["metrics"]["rmse"], 6)}
try:
    client.record_batch_from_file(model, first["version"], batch_file, actual_column="label")
    out["missingColumn"] = None
except ValueError as err:
    out["missingColumn"] = str(err)

json.dump(out, sys.stdout)
