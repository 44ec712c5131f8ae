#!/usr/bin/env python3
"""A SageMaker Pipelines processing step that registers a model version and checks data drift with mlwatch.

Run it as the entry point of a ProcessingStep (SKLearnProcessor, or any image with python3 and botocore)
after training and evaluation, with the ``mlwatch`` wheel installed. It talks to the mlwatch API through
``mlwatch.Client``: over HTTPS, every request signed with SigV4 (botocore, service ``execute-api``) using the
processing job's role, retried with backoff under one Idempotency-Key; against the local server
(``mlwatch serve``, a loopback address) plain HTTP. CSV cells that are empty or "nan" are sent as missing
values (``None``), never as NaN, which is not JSON.

Steps:
  1. register the model version (an existing ``s3://`` artifact, or upload a local file through the
     registry's presigned URL and verify it), with the evaluation metrics;
  2. optionally create a drift baseline from the training data (``--baseline-data``);
  3. run a drift check of the current data (``--current-data``, inline records) against the active baseline;
  4. write a summary JSON (``--output``; default the processing job's ``/opt/ml/processing/output/mlwatch.json``
     inside SageMaker Processing, ``./mlwatch-output/mlwatch.json`` anywhere else) for later pipeline steps (a ConditionStep can read it through a
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
import json
import os
import sys
import urllib.request

import mlwatch  # pip install mlwatch-<version>-py3-none-any.whl (from `npm run package`); needs only botocore


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
    p.add_argument("--output", default=None,
                   help="summary JSON (default: /opt/ml/processing/output/mlwatch.json inside a SageMaker "
                        "processing job, else ./mlwatch-output/mlwatch.json)")
    p.add_argument("--fail-on-drift", action="store_true")
    return p.parse_args(argv)


def load_metrics(path):
    if not path:
        return {}
    with open(path, encoding="utf-8") as f:
        raw = json.load(f)
    raw = raw.get("metrics", raw)  # SageMaker model quality report shape
    return {k: float(v["value"] if isinstance(v, dict) else v) for k, v in raw.items()}


# SageMaker Processing writes this file into every processing container (the job's name, ARN, image, ...).
SAGEMAKER_PROCESSING_CONFIG = "/opt/ml/config/processingjobconfig.json"


def default_output(config_path=SAGEMAKER_PROCESSING_CONFIG):
    """Where the summary goes without --output: the processing job's output folder when running in
    SageMaker Processing, a folder under the current directory anywhere else (a laptop, CI)."""
    if os.path.isfile(config_path):
        return "/opt/ml/processing/output/mlwatch.json"
    return os.path.join("mlwatch-output", "mlwatch.json")


def main(argv):
    args = parse_args(argv)
    client = mlwatch.Client(args.endpoint, args.region, sign={"auto": None, "always": True, "never": False}[args.sign])
    model = args.model
    body = {"metrics": load_metrics(args.metrics_file)}
    for key, value in (("version", args.version), ("primaryMetric", args.primary_metric), ("direction", args.direction), ("trainingJobName", args.training_job)):
        if value:
            body[key] = value
    if args.artifact_uri:
        body["artifactUri"] = args.artifact_uri
    else:
        body["requestUpload"] = True
    version = client.register_version(model, body)
    if args.artifact_file:
        with open(args.artifact_file, "rb") as f:
            # An explicit type: urllib's default (a form) is not what the object is.
            upload = urllib.request.Request(version["upload"]["url"], data=f.read(), method="PUT", headers={"content-type": "application/octet-stream"})
        urllib.request.urlopen(upload, timeout=300).close()
        client.verify_artifact(model, version["version"])
    print(f"registered {model} {version['version']} ({version['stage']})")
    summary = {"model": model, "version": version["version"], "stage": version["stage"]}

    if args.baseline_data:
        baseline = client.create_baseline(model, {"records": mlwatch.read_records(args.baseline_data)})
        if not baseline.get("active"):
            client.activate_baseline(model, baseline["baselineId"])
        summary["baselineId"] = baseline["baselineId"]
        print(f"baseline {baseline['baselineId']} from {baseline['rows']} rows is active")

    drift = False
    if args.current_data:
        check = client.check_drift(model, {"records": mlwatch.read_records(args.current_data)})
        drift = bool(check["driftDetected"])
        drifted = [f["name"] for f in check.get("driftedFeatures", [])]
        summary.update(
            checkId=check["checkId"], driftDetected=drift, driftShare=check["driftShare"], severity=check["severity"],
            driftedFeatures=drifted, reportUri=check.get("reportUri"), reportHtmlUri=check.get("reportHtmlUri"),
        )
        print(f"drift {'DETECTED (' + check['severity'] + '): ' + ', '.join(drifted) if drift else 'not detected'}; report {check.get('reportHtmlUri')}")

    output = args.output or default_output()
    out_dir = os.path.dirname(output)
    if out_dir:
        os.makedirs(out_dir, exist_ok=True)
    with open(output, "w", encoding="utf-8") as f:
        json.dump(summary, f, indent=2)
    print(f"summary written to {output}")
    return 1 if drift and args.fail_on_drift else 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except mlwatch.MlwatchError as err:
        print(f"mlwatch: {err}", file=sys.stderr)
        sys.exit(2)
