"""mlwatch.read_records / clean_records: missing values become None, never NaN."""
import json
import math
import os
import tempfile
import unittest

import mlwatch


class RecordsTest(unittest.TestCase):
    def write(self, name, text):
        path = os.path.join(self.dir.name, name)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        return path

    def setUp(self):
        self.dir = tempfile.TemporaryDirectory()

    def tearDown(self):
        self.dir.cleanup()

    def test_csv_missing_cells_are_none_and_numbers_are_numbers(self):
        path = self.write("d.csv", "age,plan,score\n42,pro,0.5\n,basic,nan\nNaN,NAN,1e3\n7, inf ,-2\n")
        rows = mlwatch.read_records(path)
        self.assertEqual(rows, [
            {"age": 42, "plan": "pro", "score": 0.5},
            {"age": None, "plan": "basic", "score": None},
            {"age": None, "plan": None, "score": 1000.0},
            {"age": 7, "plan": " inf ", "score": -2},
        ])
        # and the whole thing is valid JSON for the API
        json.loads(mlwatch.encode_json({"records": rows}))

    def test_jsonl_nan_becomes_none(self):
        path = self.write("d.jsonl", '{"a": 1, "b": NaN}\n\n{"a": "", "b": "x"}\n')
        self.assertEqual(mlwatch.read_records(path), [{"a": 1, "b": None}, {"a": None, "b": "x"}])

    def test_clean_records_of_dataframe_like_rows(self):
        rows = [{"x": float("nan"), "y": 2.0, "z": "nan"}, {"x": 1.0, "y": math.inf, "z": "ok"}]
        cleaned = mlwatch.clean_records(rows)
        self.assertEqual(cleaned[0], {"x": None, "y": 2.0, "z": None})
        self.assertEqual(cleaned[1]["z"], "ok")
        # infinity is not missing: it is refused, not silently dropped
        with self.assertRaises(ValueError):
            mlwatch.encode_json(cleaned)


if __name__ == "__main__":
    unittest.main()
