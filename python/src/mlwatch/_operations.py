"""Every operation of the API (``METHOD /path`` as in docs/openapi.json) and the ``Client`` method that calls it.

A test reads docs/openapi.json and fails when an operation is missing here, when an entry here names no
method, or when a method sends a different method or path than its entry: a new route needs a method.
"""
from typing import Dict

OPERATIONS: Dict[str, str] = {
    # service
    "GET /health": "health",
    # registry: models and versions
    "GET /models": "list_models",
    "GET /models/{model}": "get_model",
    "POST /models/{model}/versions": "register_version",
    "GET /models/{model}/versions": "list_versions",
    "GET /models/{model}/versions/{version}": "get_version",
    "DELETE /models/{model}/versions/{version}": "delete_version",
    "GET /models/{model}/stages/production": "get_production",
    "GET /models/{model}/compare": "compare_versions",
    "POST /models/{model}/versions/{version}/artifact/verify": "verify_artifact",
    "GET /models/{model}/history": "get_history",
    "POST /models/{model}/versions/{version}/promote": "promote",
    "POST /models/{model}/rollback": "rollback",
    "PATCH /models/{model}/versions/{version}": "update_version",
    "POST /models/{model}/versions/{version}/approve": "approve",
    "POST /models/{model}/versions/{version}/reject": "reject",
    "GET /models/{model}/approvals": "list_approvals",
    "GET /models/{model}/promotion-policy": "get_promotion_policy",
    "PUT /models/{model}/promotion-policy": "set_promotion_policy",
    "PUT /models/{model}/aliases/{alias}": "set_alias",
    "GET /models/{model}/aliases/{alias}": "get_alias",
    "DELETE /models/{model}/aliases/{alias}": "delete_alias",
    "POST /models/{model}/versions/{version}/deployments": "record_deployment",
    "GET /models/{model}/deployments": "list_deployments",
    # registry: datasets
    "POST /datasets/{name}/versions": "register_dataset_version",
    "GET /datasets/{name}/versions": "list_dataset_versions",
    "GET /datasets/{name}/versions/{version}": "get_dataset_version",
    "GET /datasets/{name}/versions/{version}/lineage": "get_dataset_lineage",
    "GET /datasets/{name}/compare": "compare_dataset_versions",
    # events and audit
    "POST /events": "record_event",
    "GET /audit": "list_audit",
    # drift
    "POST /models/{model}/baselines": "create_baseline",
    "GET /models/{model}/baselines": "list_baselines",
    "GET /models/{model}/baselines/{baselineId}": "get_baseline",
    "PUT /models/{model}/baselines/{baselineId}/activate": "activate_baseline",
    "GET /models/{model}/baselines/{baselineId}/statistics.json": "get_baseline_statistics",
    "GET /models/{model}/baselines/{baselineId}/constraints.json": "get_baseline_constraints",
    "POST /models/{model}/drift-checks": "check_drift",
    "GET /models/{model}/drift-checks": "list_drift_checks",
    "GET /models/{model}/drift-checks/{checkId}": "get_drift_check",
    "GET /models/{model}/drift-checks/{checkId}/report.html": "get_drift_report_html",
    "GET /models/{model}/drift-checks/{checkId}/constraint_violations.json": "get_constraint_violations",
    "PUT /models/{model}/monitoring": "set_monitoring",
    "GET /models/{model}/monitoring": "get_monitoring",
    # performance
    "POST /models/{model}/versions/{version}/batches": "record_batch",
    "POST /models/{model}/versions/{version}/predictions": "log_predictions",
    "DELETE /models/{model}/versions/{version}/batches/{batchId}": "delete_batch",
    "POST /models/{model}/ground-truth": "record_ground_truth",
    "GET /models/{model}/performance/thresholds": "get_performance_thresholds",
    "PUT /models/{model}/performance/thresholds": "set_performance_thresholds",
    "GET /models/{model}/performance": "performance_report",
    "GET /models/{model}/performance/compare": "compare_performance",
    # alerts
    "POST /alerts/test": "test_alert",
    "GET /alerts": "list_alerts",
    "GET /alerts/{alertId}": "get_alert",
    "POST /alerts/{alertId}/acknowledge": "acknowledge_alert",
    "POST /alerts/{alertId}/resolve": "resolve_alert",
    # retraining
    "POST /models/{model}/retraining": "request_retraining",
    "GET /models/{model}/retraining-policy": "get_retraining_policy",
    "PUT /models/{model}/retraining-policy": "set_retraining_policy",
    "GET /models/{model}/retraining-requests": "list_retraining_requests",
}
