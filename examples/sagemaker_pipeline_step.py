#!/usr/bin/env python3
"""A SageMaker Pipelines processing step that registers a model version and checks data drift with mlwatch.

Run it as the entry point of a ProcessingStep (SKLearnProcessor, or any image with python3 and boto3) after
training and evaluation. It talks to the mlwatch API over HTTPS, signing every request with SigV4
(botocore, service ``execute-api``) using the processing job's role; against the local server
(``mlwatch serve``, a loopback address) it sends plain HTTP.

Steps:
  1. register the model version (an existing ``s3://`` artifact, or upload a local file through the
     registry's presigned URL and verify it), with the evaluation metrics;
  2. optionally create a drift baseline from the training data (``--baseline-data``);
  3. run a drift check of the current data (``--current-data``, inline records) against the active baseline;
  4. write a summary JSON (``--output``) for later pipeline steps (a ConditionStep can read it through a
     PropertyFile) and exit 1 on drift when ``--fail-on-drift`` is given.

Example (as a processing step):

    ScriptProcessor(...).run(
        code="examples/sagemaker_pipeline_step.py",
        arguments=["--endpoint", "https://abc123.execute-api.eu-west-1.amazonaws.com/v1",
                   "--model", "churn",
                   "--artifact-uri", step_train.properties.ModelArtifacts.S3ModelArtifacts,
                   "--metrics-file", "/opt/ml/processing/evaluation/evaluation.json",
                   "--current-data", "/opt/ml/processing/input/current/data.csv",
                   "--output", "/opt/ml/processing/output/mlwatch.json"],
        ...)

Locally: python3 examples/sagemaker_pipeline_step.py --endpoint http://127.0.0.1:3000 --model churn ...
Exit codes: 0 done, 1 drift detected with --fail-on-drift, 2 the API refused a request or was unreachable.
"""
import argparse
import csv
import json
import os
import random
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid

import boto3
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest

LOOPBACK = {"localhost", "127.0.0.1", "::1"}


class ApiError(Exception):
    """The API answered with an error: ``{"error": {"code", "message"}}``."""

    def __init__(self, status, code, message, request):
        super().__init__(f"{request}: {code} (HTTP {status}): {message}")
        self.status, self.code, self.message = status, code, message


class MlwatchApi:
    """A small mlwatch API caller: SigV4 for the deployed API, retries with backoff on 429 and 5xx."""

    def __init__(self, endpoint, region=None, sign=None, max_attempts=4):
        self.endpoint = endpoint.rstrip("/")
        host = urllib.parse.urlsplit(self.endpoint).hostname or ""
        self.sign = (host not in LOOPBACK) if sign is None else sign
        self.max_attempts = max_attempts
        if self.sign:
            session = boto3.Session()
            self.credentials = session.get_credentials()
            if self.credentials is None:
                raise SystemExit("no AWS credentials found to sign requests with (the processing job's role provides them)")
            # The region is in an execute-api host name; else the session's.
            parts = host.split(".")
            self.region = region or (parts[2] if len(parts) > 3 and parts[1] == "execute-api" else session.region_name)
            if not self.region:
                raise SystemExit("no region to sign with: pass --region or set AWS_REGION")

    def request(self, method, path, body=None):
        url = self.endpoint + path
        data = None if body is None else json.dumps(body).encode("utf-8")
        headers = {"accept": "application/json"}
        if data is not None:
            headers["content-type"] = "application/json"
        if method == "POST":
            headers["idempotency-key"] = str(uuid.uuid4())  # the same key on every retry: applied once
        for attempt in range(1, self.max_attempts + 1):
            send = dict(headers)
            if self.sign:
                signed = AWSRequest(method=method, url=url, data=data, headers=send)
                SigV4Auth(self.credentials.get_frozen_credentials(), "execute-api", self.region).add_auth(signed)
                send = dict(signed.headers.items())
            req = urllib.request.Request(url, data=data, method=method, headers=send)
            try:
                with urllib.request.urlopen(req, timeout=60) as res:
                    text = res.read().decode("utf-8")
                    return json.loads(text) if text else None
            except urllib.error.HTTPError as err:
                text = err.read().decode("utf-8", "replace")
                if (err.code == 429 or err.code >= 500) and attempt < self.max_attempts:
                    retry_after = err.headers.get("retry-after")
                    time.sleep(float(retry_after) if retry_after and retry_after.isdigit() else random.uniform(0, 0.2 * 2 ** attempt))
                    continue
                try:
                    error = json.loads(text).get("error", {})
                except ValueError:
                    error = {}
                raise ApiError(err.code, error.get("code", f"HTTP_{err.code}"), error.get("message", text[:300]), f"{method} {path}") from None
            except urllib.error.URLError as err:
                if attempt < self.max_attempts:
                    time.sleep(random.uniform(0, 0.2 * 2 ** attempt))
                    continue
                raise ApiError(0, "NETWORK", str(err.reason), f"{method} {path}") from None
        raise AssertionError("unreachable")


def read_records(path):
    """Rows of a CSV (header row) or JSON Lines file; numeric-looking CSV cells become numbers."""
    with open(path, encoding="utf-8") as f:
        if path.endswith((".jsonl", ".ndjson")):
            return [json.loads(line) for line in f if line.strip()]
        rows = []
        for row in csv.DictReader(f):
            out = {}
            for k, v in row.items():
                try:
                    out[k] = float(v) if v != "" else None
                except ValueError:
                    out[k] = v
            rows.append(out)
        return rows


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--endpoint", default=os.environ.get("MLWATCH_ENDPOINT", "http://127.0.0.1:3000"))
    p.add_argument("--region", default=None)
    p.add_argument("--sign", choices=["auto", "always", "never"], default=os.environ.get("MLWATCH_SIGN", "auto"))
    p.add_argument("--model", required=True)
    p.add_argument("--version", default=None, help="X.Y.Z; default: the next minor version")
    art = p.add_mutually_exclusive_group(required=True)
    art.add_argument("--artifact-uri", help="an existing s3:// model artifact (e.g. the training step's output)")
    art.add_argument("--artifact-file", help="a local artifact to upload through the registry")
    p.add_argument("--metrics-file", help='evaluation JSON: {"auc": 0.91} or SageMaker\'s {"metrics": {"auc": {"value": 0.91}}}')
    p.add_argument("--primary-metric", default=None)
    p.add_argument("--direction", choices=["higher", "lower"], default=None)
    p.add_argument("--training-job", default=os.environ.get("TRAINING_JOB_NAME"))
    p.add_argument("--baseline-data", help="training data (CSV or JSON Lines) to create a drift baseline from")
    p.add_argument("--current-data", help="current data (CSV or JSON Lines) to check for drift")
    p.add_argument("--output", default="/opt/ml/processing/output/mlwatch.json")
    p.add_argument("--fail-on-drift", action="store_true")
    return p.parse_args(argv)


def load_metrics(path):
    if not path:
        return {}
    with open(path, encoding="utf-8") as f:
        raw = json.load(f)
    raw = raw.get("metrics", raw)  # SageMaker model quality report shape
    return {k: float(v["value"] if isinstance(v, dict) else v) for k, v in raw.items()}


def main(argv):
    args = parse_args(argv)
    api = MlwatchApi(args.endpoint, args.region, {"auto": None, "always": True, "never": False}[args.sign])
    model = args.model
    body = {"metrics": load_metrics(args.metrics_file)}
    for key, value in (("version", args.version), ("primaryMetric", args.primary_metric), ("direction", args.direction), ("trainingJobName", args.training_job)):
        if value:
            body[key] = value
    if args.artifact_uri:
        body["artifactUri"] = args.artifact_uri
    else:
        body["requestUpload"] = True
    version = api.request("POST", f"/models/{model}/versions", body)
    if args.artifact_file:
        with open(args.artifact_file, "rb") as f:
            # An explicit type: urllib's default (a form) is not what the object is.
            upload = urllib.request.Request(version["upload"]["url"], data=f.read(), method="PUT", headers={"content-type": "application/octet-stream"})
        urllib.request.urlopen(upload, timeout=300).close()
        api.request("POST", f"/models/{model}/versions/{version['version']}/artifact/verify")
    print(f"registered {model} {version['version']} ({version['stage']})")
    summary = {"model": model, "version": version["version"], "stage": version["stage"]}

    if args.baseline_data:
        baseline = api.request("POST", f"/models/{model}/baselines", {"records": read_records(args.baseline_data)})
        if not baseline.get("active"):
            api.request("PUT", f"/models/{model}/baselines/{baseline['baselineId']}/activate")
        summary["baselineId"] = baseline["baselineId"]
        print(f"baseline {baseline['baselineId']} from {baseline['rows']} rows is active")

    drift = False
    if args.current_data:
        check = api.request("POST", f"/models/{model}/drift-checks", {"records": read_records(args.current_data)})
        drift = bool(check["driftDetected"])
        drifted = [f["name"] for f in check.get("driftedFeatures", [])]
        summary.update(
            checkId=check["checkId"], driftDetected=drift, driftShare=check["driftShare"], severity=check["severity"],
            driftedFeatures=drifted, reportUri=check.get("reportUri"), reportHtmlUri=check.get("reportHtmlUri"),
        )
        print(f"drift {'DETECTED (' + check['severity'] + '): ' + ', '.join(drifted) if drift else 'not detected'}; report {check.get('reportHtmlUri')}")

    out_dir = os.path.dirname(args.output)
    if out_dir:
        os.makedirs(out_dir, exist_ok=True)
    with open(args.output, "w", encoding="utf-8") as f:
        json.dump(summary, f, indent=2)
    return 1 if drift and args.fail_on_drift else 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except ApiError as err:
        print(f"mlwatch: {err}", file=sys.stderr)
        sys.exit(2)
