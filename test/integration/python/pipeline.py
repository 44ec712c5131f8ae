"""Drives the installed mlwatch wheel through a pipeline's calls against the local server (run by client.test.ts).

Prints one JSON object with what the test asserts. Arguments come from the environment:
MLWATCH_ENDPOINT (the server or the signing proxy), MLWATCH_SIGN ("1" forces signing),
EMULATOR (the S3 endpoint for the upload), BUCKET, MODEL, DATA_DIR.
"""
import json
import os
import sys
import urllib.request

import mlwatch

env = os.environ
model = env["MODEL"]
client = mlwatch.Client(sign=True if env.get("MLWATCH_SIGN") == "1" else None, retry_base=0.05)
out = {"module": mlwatch.__file__, "signing": client.sign}

out["health"] = client.health()["status"]


def put_object(key, data):
    """Writes an object straight into the emulator's bucket (what a training job's output would be)."""
    urllib.request.urlopen(urllib.request.Request(f"{env['EMULATOR']}/{env['BUCKET']}/{key}", data=data, method="PUT", headers={"content-type": "application/octet-stream"})).close()


put_object(f"models/{model}/1.tar.gz", b"model one")
put_object(f"models/{model}/2.tar.gz", b"model two")
v1 = client.register_version(model, {"artifactUri": f"s3://{env['BUCKET']}/models/{model}/1.tar.gz", "metrics": {"rmse": 2.0}, "primaryMetric": "rmse", "direction": "lower"})
v2 = client.register_version(model, {"artifactUri": f"s3://{env['BUCKET']}/models/{model}/2.tar.gz", "metrics": {"rmse": 1.5}})
out["versions"] = [v1["version"], v2["version"]]
client.promote(model, v1["version"], {"stage": "staging", "reason": "evaluated"})
client.promote(model, v1["version"], {"stage": "production", "reason": "first"})
client.promote(model, v2["version"], {"stage": "staging", "reason": "better"})
client.promote(model, v2["version"], {"stage": "production", "reason": "better rmse"})
out["production"] = client.get_production(model)["version"]
out["rollback"] = client.rollback(model, {"reason": "python test"})
out["productionAfterRollback"] = client.get_production(model)["version"]

baseline = client.create_baseline(model, {"records": mlwatch.read_records(os.path.join(env["DATA_DIR"], "train.csv"))})
out["baseline"] = {"status": baseline["status"], "active": baseline.get("active"), "rows": baseline.get("rows")}

inline = client.check_drift(model, {"records": mlwatch.read_records(os.path.join(env["DATA_DIR"], "current.csv"))})
out["inlineCheck"] = {"status": inline["status"], "driftDetected": inline["driftDetected"], "drifted": [f["name"] for f in inline["driftedFeatures"]]}

key = f"datasets/{model}/current.csv"
with open(os.path.join(env["DATA_DIR"], "current.csv"), "rb") as f:
    put_object(key, f.read())
pending = client.check_drift(model, {"dataUri": f"s3://{env['BUCKET']}/{key}"})
done = client.wait_for_check(model, pending["checkId"], interval=0.2, timeout=60)
out["asyncCheck"] = {"first": pending["status"], "final": done["status"], "driftDetected": done.get("driftDetected")}
out["reportHtml"] = client.get_drift_report_html(model, done["checkId"])[:15] if done["status"] == "completed" else None

batch = client.record_batch(model, v1["version"], {"task": "regression", "predictions": [1, 2, 3, 4], "actuals": [1.1, 2.2, 2.9, 4.2]})
out["batchKeys"] = sorted(batch)
logged = [{"id": f"r{i}", "prediction": float(i)} for i in range(10)]
client.log_predictions(model, v1["version"], {"records": logged, "task": "regression"})
joined = client.record_ground_truth(model, {"records": [{"id": r["id"], "actual": r["prediction"] + 0.5} for r in logged]})
out["groundTruth"] = joined
report = client.performance_report(model, version=v1["version"], days=7)
out["report"] = {"task": report["task"], "batchCount": report["batchCount"], "hasRmse": "rmse" in report["overall"]}

errors = {}
for name, call in {
    "missingModel": lambda: client.get_model(f"{model}-none"),
    "badBody": lambda: client.register_version(model, {"version": "not-semver", "artifactUri": "s3://b/k"}),
    "badPromotion": lambda: client.promote(model, "9.9.9", {"stage": "production", "reason": "x"}),
}.items():
    try:
        call()
        errors[name] = None
    except mlwatch.ApiError as err:
        errors[name] = {"status": err.status, "code": err.code, "message": err.message}
out["errors"] = errors
try:
    client.check_drift(model, {"records": [{"age": float("nan")}]})
    out["nanRefused"] = False
except ValueError:
    out["nanRefused"] = True

json.dump(out, sys.stdout)
