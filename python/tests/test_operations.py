"""Every operation of docs/openapi.json has a Client method, and that method sends exactly that operation.

The document is found at $MLWATCH_OPENAPI, else ../../docs/openapi.json from this file.
"""
import inspect
import json
import os
import re
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import mlwatch  # noqa: E402
from stub import Stub  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
OPENAPI = os.environ.get("MLWATCH_OPENAPI") or os.path.join(HERE, "..", "..", "docs", "openapi.json")
METHODS = ("get", "put", "post", "delete", "patch")


def openapi_operations():
    with open(OPENAPI, encoding="utf-8") as f:
        doc = json.load(f)
    return sorted(f"{m.upper()} {p}" for p, item in doc["paths"].items() for m in item if m in METHODS)


class OperationsTest(unittest.TestCase):
    def test_every_openapi_operation_has_a_method_and_no_entry_is_stale(self):
        documented = openapi_operations()
        self.assertGreaterEqual(len(documented), 39)
        missing = [op for op in documented if op not in mlwatch.OPERATIONS]
        stale = [op for op in mlwatch.OPERATIONS if op not in documented]
        self.assertEqual(missing, [], "operations of docs/openapi.json without a Python method: add them to mlwatch/_operations.py and Client")
        self.assertEqual(stale, [], "mlwatch/_operations.py names operations the API does not have")
        unbound = [name for name in mlwatch.OPERATIONS.values() if not callable(getattr(mlwatch.Client, name, None))]
        self.assertEqual(unbound, [])

    def test_methods_are_named_by_operation_id(self):
        with open(OPENAPI, encoding="utf-8") as f:
            doc = json.load(f)
        ids = {op["operationId"]: (m.upper(), p) for p, item in doc["paths"].items() for m, op in item.items() if m in METHODS}
        self.assertEqual(ids, mlwatch.OPERATION_IDS)
        for operation_id, (method, path) in ids.items():
            snake = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", operation_id).lower()
            self.assertEqual(mlwatch.OPERATIONS[f"{method} {path}"], snake)

    def test_each_method_sends_its_operation(self):
        with Stub() as stub:
            c = mlwatch.Client(stub.url, max_attempts=1)
            for operation, name in sorted(mlwatch.OPERATIONS.items()):
                method, template = operation.split(" ", 1)
                placeholders = re.findall(r"\{[^}]+\}", template)
                args = []
                params = [p for p in inspect.signature(getattr(c, name)).parameters.values() if p.default is inspect.Parameter.empty and p.kind is p.POSITIONAL_OR_KEYWORD]
                for i, p in enumerate(params):
                    args.append({} if p.name == "body" else ["1.0.0", "1.1.0"] if p.name == "versions" else f"a{i}")
                getattr(c, name)(*args)
                expected = template
                for placeholder, value in zip(placeholders, args):
                    expected = expected.replace(placeholder, value, 1)
                seen = stub.requests[-1]
                with self.subTest(operation=operation):
                    self.assertEqual(seen["method"], method)
                    self.assertEqual(seen["path"].split("?")[0], expected)
                    self.assertNotIn("{", seen["path"])
        self.assertEqual(len(stub.requests), len(mlwatch.OPERATIONS))


if __name__ == "__main__":
    unittest.main()
