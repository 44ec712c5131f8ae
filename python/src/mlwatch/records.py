"""Records for drift checks and baselines: read from CSV or JSON Lines, with missing values as ``None``.

A CSV cell that is empty or spells NaN (``nan``, ``NaN``, ``NAN``) is missing, and so is a float NaN in
records built by hand or by ``DataFrame.to_dict("records")``: it becomes ``None`` (JSON ``null``), which the
API counts as missing. NaN itself is not JSON, and the client refuses to send it.
"""
import csv
import json
import math
import re
from typing import Any, Dict, Iterable, List, Mapping, Optional

__all__ = ["clean_value", "clean_records", "read_records", "parse_cell"]

_MISSING = {"", "nan"}
_INTEGER = re.compile(r"^[+-]?\d{1,15}$")
_NUMBER = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")


def parse_cell(text: Optional[str]) -> Any:
    """One CSV cell: ``None`` when missing, a number when it reads as a finite number, else the text.

    ``"inf"`` and other non-numeric spellings stay text: only plain decimal numbers become numbers.
    """
    if text is None:
        return None
    stripped = text.strip()
    if stripped.lower() in _MISSING:
        return None
    if _INTEGER.match(stripped):
        return int(stripped)
    if _NUMBER.match(stripped):
        value = float(stripped)
        return value if math.isfinite(value) else text
    return text


def clean_value(value: Any) -> Any:
    """A float NaN becomes ``None``; anything else is returned as is."""
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def clean_records(records: Iterable[Mapping[str, Any]]) -> List[Dict[str, Any]]:
    """Copies of the records with every NaN (float NaN, or the strings "", "nan", "NaN") replaced by ``None``."""
    out: List[Dict[str, Any]] = []
    for record in records:
        row: Dict[str, Any] = {}
        for key, value in record.items():
            if isinstance(value, str) and value.strip().lower() in _MISSING:
                row[key] = None
            else:
                row[key] = clean_value(value)
        out.append(row)
    return out


def read_records(path: str) -> List[Dict[str, Any]]:
    """Rows of a CSV file (header row; numeric cells become numbers), a JSON Lines file (``.jsonl``/``.ndjson``)
    or a JSON array of records (``.json``), as the ``mlwatch`` command line reads them.

    Missing values are ``None`` in all three.

    :raises ValueError: when a ``.json`` file does not hold an array of records
    """
    with open(path, encoding="utf-8", newline="") as f:
        if path.endswith(".json"):
            rows = json.load(f)
            if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
                raise ValueError(f"{path} must hold a JSON array of records")
            return clean_records(rows)
        if path.endswith((".jsonl", ".ndjson")):
            return clean_records(json.loads(line) for line in f if line.strip())
        return [{key: parse_cell(value) for key, value in row.items()} for row in csv.DictReader(f)]
