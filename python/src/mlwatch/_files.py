"""Request bodies from local data files, as ``mlwatch baselines create`` and ``mlwatch performance record`` build them.

Rows come from :func:`mlwatch.read_records` (CSV with a header row, JSON Lines, or a JSON array).
"""
from typing import Any, Dict, List, Mapping, Optional, Sequence

__all__ = ["baseline_body", "batch_body", "infer_task"]


def _number(value: Any) -> Any:
    if isinstance(value, str) and value.strip() != "":
        try:
            parsed = float(value)
        except ValueError:
            return value
        if parsed == parsed and parsed not in (float("inf"), float("-inf")):
            return int(parsed) if parsed.is_integer() and "." not in value and "e" not in value.lower() else parsed
    return value


def _column(rows: Sequence[Mapping[str, Any]], name: str, path: str, option: str) -> List[Any]:
    for i, row in enumerate(rows):
        if row.get(name) is None or row.get(name) == "":
            raise ValueError(f'{path} row {i + 1} has no "{name}" ({option} names the column)')
    return [_number(row[name]) for row in rows]


def infer_task(actuals: Sequence[Any], has_scores: bool) -> str:
    """classification when scores are given, a label is not a number, or every label is 0/1; else regression."""
    numeric = [isinstance(v, (int, float)) and not isinstance(v, bool) for v in actuals]
    if has_scores or not all(numeric):
        return "classification"
    return "classification" if all(v in (0, 1) for v in actuals) else "regression"


def batch_body(
    rows: Sequence[Mapping[str, Any]],
    path: str,
    task: Optional[str],
    prediction_column: str,
    actual_column: str,
    score_column: Optional[str],
) -> Dict[str, Any]:
    """The ``recordBatch`` body of a file's rows: predictions, actuals, and scores when a score column exists.

    :raises ValueError: when the file holds no rows, a row lacks a column, or ``task`` is not one of the two
    """
    if not rows:
        raise ValueError(f"{path} holds no rows")
    if task is not None and task not in ("regression", "classification"):
        raise ValueError(f'task must be regression or classification, got "{task}"')
    predictions = _column(rows, prediction_column, path, "prediction_column")
    actuals = _column(rows, actual_column, path, "actual_column")
    score_name = score_column if score_column is not None else ("score" if all("score" in r for r in rows) else None)
    scores = None if score_name is None else _column(rows, score_name, path, "score_column")
    body: Dict[str, Any] = {"task": task or infer_task(actuals, scores is not None), "predictions": predictions, "actuals": actuals}
    if scores is not None:
        body["scores"] = scores
    return body


def baseline_body(
    rows: Sequence[Mapping[str, Any]],
    categorical: Optional[Sequence[str]],
    features: Optional[Sequence[str]],
    exclude: Optional[Sequence[str]],
) -> Dict[str, Any]:
    """The ``createBaseline`` body of a file's rows (inline: the baseline is ready at once)."""
    body: Dict[str, Any] = {"records": list(rows)}
    for key, value in (("categorical", categorical), ("features", features), ("exclude", exclude)):
        if value:
            body[key] = list(value)
    return body
