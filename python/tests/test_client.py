"""Retries, backoff, idempotency, errors and JSON encoding of mlwatch.Client, against a local stub server."""
import json
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import botocore.session  # noqa: E402

import mlwatch  # noqa: E402
from stub import Stub  # noqa: E402


def client(url: str, **kw):
    c = mlwatch.Client(url, retry_base=0.001, max_retry_delay=0.01, **kw)
    slept = []
    c._sleep = slept.append  # the delays asked for, without waiting
    return c, slept


class RetryTest(unittest.TestCase):
    def test_post_retried_on_429_and_5xx_under_one_idempotency_key(self):
        answers = [(429, {"error": {"code": "THROTTLED", "message": "slow down"}}, {}), (503, {}, {}), (201, {"version": "1.0.0"}, {})]
        with Stub(answers) as stub:
            c, slept = client(stub.url)
            out = c.register_version("churn", {"artifactUri": "s3://b/k"})
        self.assertEqual(out, {"version": "1.0.0"})
        self.assertEqual(len(stub.requests), 3)
        keys = {r["headers"]["idempotency-key"] for r in stub.requests}
        self.assertEqual(len(keys), 1)
        self.assertRegex(keys.pop(), r"^[0-9a-f-]{36}$")
        self.assertEqual(len(slept), 2)

    def test_each_logical_call_gets_its_own_key_and_a_given_key_is_kept(self):
        with Stub() as stub:
            c, _ = client(stub.url)
            c.rollback("churn", {"reason": "a"})
            c.rollback("churn", {"reason": "b"})
            c.rollback("churn", {"reason": "c"}, idempotency_key="pipeline-run-42")
        keys = [r["headers"]["idempotency-key"] for r in stub.requests]
        self.assertNotEqual(keys[0], keys[1])
        self.assertEqual(keys[2], "pipeline-run-42")

    def test_get_carries_no_idempotency_key(self):
        with Stub() as stub:
            c, _ = client(stub.url)
            c.get_model("churn")
        self.assertNotIn("idempotency-key", stub.requests[0]["headers"])

    def test_gives_up_after_max_attempts_with_the_last_error(self):
        with Stub([(500, {"error": {"code": "INTERNAL", "message": "boom"}}, {})]) as stub:
            c, slept = client(stub.url, max_attempts=3)
            with self.assertRaises(mlwatch.ApiError) as caught:
                c.get_model("churn")
        self.assertEqual(len(stub.requests), 3)
        self.assertEqual(len(slept), 2)
        self.assertEqual((caught.exception.status, caught.exception.code, caught.exception.message), (500, "INTERNAL", "boom"))

    def test_4xx_and_501_are_not_retried(self):
        for status in (400, 404, 409, 501):
            with Stub([(status, {"error": {"code": "X", "message": "no"}}, {})]) as stub:
                c, _ = client(stub.url)
                with self.assertRaises(mlwatch.ApiError):
                    c.get_model("churn")
            self.assertEqual(len(stub.requests), 1, status)

    def test_post_sent_again_while_the_first_attempt_is_in_progress(self):
        busy = (409, {"error": {"code": "IDEMPOTENCY_IN_PROGRESS", "message": "still in progress"}}, {})
        with Stub([busy, busy, (201, {"version": "1.0.0"}, {})]) as stub:
            c, slept = client(stub.url)
            out = c.register_version("churn", {"artifactUri": "s3://b/k"})
        self.assertEqual(out, {"version": "1.0.0"})
        self.assertEqual(len(stub.requests), 3)
        self.assertEqual(len({r["headers"]["idempotency-key"] for r in stub.requests}), 1)
        self.assertEqual(len(slept), 2)

    def test_retry_after_is_honoured(self):
        with Stub([(429, {}, {"retry-after": "0.005"}), (200, {}, {})]) as stub:
            c, slept = client(stub.url)
            c.health()
        self.assertEqual(slept, [0.005])

    def test_backoff_is_full_jitter_under_a_doubling_capped_ceiling(self):
        self.assertEqual(mlwatch.retry_delay(1, 0.2, 5.0, rand=lambda: 1.0), 0.2)
        self.assertEqual(mlwatch.retry_delay(3, 0.2, 5.0, rand=lambda: 1.0), 0.8)
        self.assertEqual(mlwatch.retry_delay(10, 0.2, 5.0, rand=lambda: 1.0), 5.0)
        self.assertEqual(mlwatch.retry_delay(3, 0.2, 5.0, rand=lambda: 0.25), 0.2)
        self.assertEqual(mlwatch.retry_delay(1, 0.2, 5.0, retry_after="60"), 5.0)
        self.assertEqual(mlwatch.retry_delay(2, 0.2, 5.0, retry_after="soon", rand=lambda: 0.5), 0.2)

    def test_network_failure_is_retried_then_raised(self):
        with Stub() as stub:
            url = stub.url
        c, slept = client(url, max_attempts=2)  # the stub is closed: connection refused
        with self.assertRaises(mlwatch.NetworkError) as caught:
            c.health()
        self.assertEqual(len(slept), 1)
        self.assertIn("after 2 attempts", str(caught.exception))


class ErrorTest(unittest.TestCase):
    def test_api_gateway_shape_and_non_json(self):
        with Stub([(403, {"message": "Missing Authentication Token"}, {})]) as stub:
            c, _ = client(stub.url)
            with self.assertRaises(mlwatch.ApiError) as caught:
                c.list_models()
        self.assertEqual((caught.exception.status, caught.exception.code, caught.exception.message), (403, "HTTP_403", "Missing Authentication Token"))
        with Stub([(400, "not json", {"x-request-id": "r-1"})]) as stub:
            c, _ = client(stub.url)
            with self.assertRaises(mlwatch.ApiError) as caught:
                c.list_models()
        self.assertEqual((caught.exception.code, caught.exception.message, caught.exception.request_id), ("HTTP_400", "not json", "r-1"))
        self.assertIsInstance(caught.exception, mlwatch.MlwatchError)


    def test_gate_failure_keeps_details_and_request_id(self):
        failed = [{"metric": "auc", "value": 0.7, "rule": "notWorseThanProduction"}]
        body = {"error": {"code": "GATE_FAILED", "message": "promotion gate failed", "details": {"failed": failed}}}
        with Stub([(409, body, {"x-request-id": "r-9"})]) as stub:
            c, _ = client(stub.url)
            with self.assertRaises(mlwatch.ApiError) as caught:
                c.promote("churn", "1.1.0", {"stage": "production", "reason": "try"})
        e = caught.exception
        self.assertEqual((e.status, e.code, e.message, e.request_id), (409, "GATE_FAILED", "promotion gate failed", "r-9"))
        self.assertEqual(e.details, {"failed": failed})
        with Stub([(404, {"error": {"code": "NOT_FOUND", "message": "no"}}, {})]) as stub:
            c, _ = client(stub.url)
            with self.assertRaises(mlwatch.ApiError) as caught:
                c.get_model("churn")
        self.assertIsNone(caught.exception.details)


class EncodingTest(unittest.TestCase):
    def test_nan_is_refused_before_sending(self):
        with Stub() as stub:
            c, _ = client(stub.url)
            with self.assertRaises(ValueError) as caught:
                c.check_drift("churn", {"records": [{"age": float("nan")}]})
        self.assertIn("NaN", str(caught.exception))
        self.assertEqual(stub.requests, [])

    def test_query_and_path_are_encoded(self):
        with Stub() as stub:
            c, _ = client(stub.url)
            c.list_versions("my model/x", stage="production", limit=5)
            c.compare_performance("m", ["1.0.0", "1.1.0"], days=7)
            c.get_baseline("m", "b1", profile=True)
        self.assertEqual(stub.requests[0]["path"], "/models/my%20model%2Fx/versions?stage=production&limit=5")
        self.assertEqual(stub.requests[1]["path"], "/models/m/performance/compare?versions=1.0.0%2C1.1.0&days=7")
        self.assertEqual(stub.requests[2]["path"], "/models/m/baselines/b1?profile=true")

    def test_body_is_json(self):
        with Stub() as stub:
            c, _ = client(stub.url)
            c.record_ground_truth("m", {"records": [{"id": "a", "actual": 1.5}]})
        self.assertEqual(json.loads(stub.requests[0]["body"]), {"records": [{"id": "a", "actual": 1.5}]})
        self.assertEqual(stub.requests[0]["headers"]["content-type"], "application/json")


class SigningTest(unittest.TestCase):
    def session(self):
        s = botocore.session.Session()
        s.set_credentials("AKIDEXAMPLE", "secret", "token")
        return s

    def test_loopback_is_unsigned_unless_forced(self):
        with Stub() as stub:
            c, _ = client(stub.url)
            c.health()
            forced, _ = client(stub.url, region="eu-west-1", session=self.session(), sign=True)
            forced.health()
        self.assertFalse(c.sign)
        self.assertNotIn("authorization", stub.requests[0]["headers"])
        auth = stub.requests[1]["headers"]["authorization"]
        self.assertRegex(auth, r"^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/\d{8}/eu-west-1/execute-api/aws4_request, SignedHeaders=[a-z0-9;-]+, Signature=[0-9a-f]{64}$")
        self.assertEqual(stub.requests[1]["headers"]["x-amz-security-token"], "token")

    def test_remote_endpoints_sign_with_the_region_of_the_host(self):
        c = mlwatch.Client("https://abc123.execute-api.eu-central-1.amazonaws.com/v1", session=self.session())
        self.assertTrue(c.sign)
        self.assertEqual(c.region(), "eu-central-1")
        self.assertFalse(mlwatch.Client("https://api.example.com", sign=False).sign)

    def test_endpoint_from_the_environment(self):
        os.environ["MLWATCH_ENDPOINT"] = "http://localhost:4999/"
        try:
            self.assertEqual(mlwatch.Client().endpoint, "http://localhost:4999")
        finally:
            del os.environ["MLWATCH_ENDPOINT"]
        with self.assertRaises(ValueError):
            mlwatch.Client("ftp://x")


class WaitTest(unittest.TestCase):
    def test_wait_for_ground_truth_job_polls_until_it_ends(self):
        job = "20261206T072000123Z-1a2b3c"
        answers = [(200, {"jobId": job, "status": "pending"}, {}), (200, {"jobId": job, "status": "running"}, {}), (200, {"jobId": job, "status": "completed", "result": {"batch": {"batchId": "b1"}}}, {})]
        with Stub(answers) as stub:
            c, slept = client(stub.url)
            out = c.wait_for_ground_truth_job("churn", job, interval=0.5)
        self.assertEqual(out["result"], {"batch": {"batchId": "b1"}})
        self.assertEqual([r["path"] for r in stub.requests], [f"/models/churn/performance/ground-truth-jobs/{job}"] * 3)
        self.assertEqual(slept, [0.5, 0.5])

    def test_wait_for_ground_truth_job_times_out_naming_the_job(self):
        with Stub([(200, {"status": "running"}, {})]) as stub:
            c, _ = client(stub.url)
            with self.assertRaisesRegex(TimeoutError, "ground-truth join job j-1 of churn still running"):
                c.wait_for_ground_truth_job("churn", "j-1", interval=0.0, timeout=-1.0)


if __name__ == "__main__":
    unittest.main()
