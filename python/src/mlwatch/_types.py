"""Request and answer shapes of the mlwatch API (camelCase, as on the wire).

Request bodies are ``TypedDict``s with ``total=False`` where most fields are optional; answers carry the
fields a pipeline reads most and stay plain dicts at run time (the API may add fields). The full schemas are
in docs/openapi.json.
"""
import sys
from typing import Any, Dict, List, Mapping, Optional, Sequence, Union

if sys.version_info >= (3, 11):
    from typing import Literal, NotRequired, TypedDict
else:  # pragma: no cover - older interpreters: the same names without NotRequired's precision
    from typing import Literal, TypedDict

    NotRequired = Optional  # type: ignore[assignment]

__all__ = [
    "Stage", "Direction", "Task", "Record", "JsonObject", "Answer",
    "RegisterVersionInput", "PromoteInput", "RollbackInput", "DeploymentInput", "DatasetVersionInput", "EventInput",
    "CreateBaselineInput", "DriftCheckInput", "MonitoringInput", "RecordBatchInput", "LogPredictionsInput",
    "GroundTruthInput", "PerformanceThresholdsInput", "ModelVersion", "RegisteredVersion", "Baseline", "DriftCheck",
]

Stage = Literal["development", "staging", "production", "archived"]
Direction = Literal["higher", "lower"]
Task = Literal["regression", "binary", "multiclass"]
Record = Mapping[str, Any]
JsonObject = Dict[str, Any]


class RegisterVersionInput(TypedDict, total=False):
    version: str
    artifactUri: str
    requestUpload: bool
    artifactFileName: str
    trainingJobName: str
    metrics: Mapping[str, float]
    parameters: Mapping[str, Any]
    tags: Mapping[str, str]
    datasetVersion: str
    description: str
    stage: Stage
    primaryMetric: str
    direction: Direction


class PromoteInput(TypedDict):
    stage: Stage
    reason: str
    force: NotRequired[bool]


class RollbackInput(TypedDict):
    reason: str


class DeploymentInput(TypedDict):
    endpointName: str
    environment: str
    region: NotRequired[str]


class DatasetVersionInput(TypedDict):
    dataUri: str
    description: NotRequired[str]
    parentVersion: NotRequired[str]
    format: NotRequired[str]


class EventInput(TypedDict):
    type: str
    model: NotRequired[str]
    version: NotRequired[str]
    jobName: NotRequired[str]
    details: NotRequired[Mapping[str, Any]]


class CreateBaselineInput(TypedDict, total=False):
    records: Sequence[Record]
    dataUri: str
    #: A SageMaker Model Monitor baseline: ``statistics`` + ``constraints`` documents, or ``statisticsUri`` + ``constraintsUri``.
    modelMonitor: Mapping[str, Any]
    categorical: Sequence[str]
    features: Sequence[str]
    exclude: Sequence[str]


class DriftCheckInput(TypedDict, total=False):
    records: Sequence[Record]
    dataUri: str
    baselineId: str
    thresholds: Mapping[str, Any]


class MonitoringInput(TypedDict):
    dataCapturePrefix: str
    schedule: str
    enabled: bool
    #: 5, 10, 15, 30 or 60: check that often instead of the schedule's period (not below the stack's monitorEveryMinutes)
    everyMinutes: NotRequired[int]
    thresholds: NotRequired[Mapping[str, Any]]


class RecordBatchInput(TypedDict, total=False):
    task: Task
    predictions: Sequence[Any]
    actuals: Sequence[Any]
    scores: Sequence[Any]
    features: Mapping[str, Sequence[Any]]
    timestamp: str
    dataUri: str
    format: str
    columns: Mapping[str, str]
    baseline: Mapping[str, Any]
    thresholds: Mapping[str, Any]


class LogPredictionsInput(TypedDict):
    records: Sequence[Record]
    task: NotRequired[Task]


class GroundTruthInput(TypedDict, total=False):
    #: Actuals of logged predictions; or, with ``format="model_monitor"``, Model Monitor's ground truth at
    #: ``dataUri`` joined to the data capture at ``captureUri`` for ``version``.
    records: Sequence[Record]
    format: str
    dataUri: str
    captureUri: str
    version: str
    task: str
    probabilityThreshold: float
    thresholds: Mapping[str, Any]


class PerformanceThresholdsInput(TypedDict, total=False):
    rmseIncreasePct: float
    maeIncreasePct: float
    mapeIncreasePct: float
    r2Min: float
    accuracyDropPoints: float
    f1DropPoints: float
    precisionDropPoints: float
    recallDropPoints: float
    aucDropPoints: float
    minCount: int
    highFactor: float
    primaryMetric: str


class ModelVersion(TypedDict, total=False):
    model: str
    version: str
    stage: Stage
    metrics: Dict[str, float]
    artifactUri: str
    createdAt: str


class RegisteredVersion(ModelVersion, total=False):
    upload: Dict[str, Any]


class Baseline(TypedDict, total=False):
    baselineId: str
    status: str
    active: bool
    rows: int
    features: List[Any]


class DriftCheck(TypedDict, total=False):
    checkId: str
    status: Literal["pending", "running", "completed", "failed"]
    driftDetected: bool
    driftShare: float
    severity: str
    driftedFeatures: List[Dict[str, Any]]
    reportUri: Optional[str]
    reportHtmlUri: Optional[str]


Answer = Union[JsonObject, List[Any], str, None]
