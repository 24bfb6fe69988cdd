"""The DAG's DQ gate: a Glue Data Quality evaluation whose failed rules stop the run or only warn, by each rule's
severity label (libs/dq: a failed ``blocking`` rule stops what reads the dataset, a failed ``warning`` rule does not).

Glue Data Quality reports every rule's labels with its result (``RuleResults[].Labels``, the DQDL ``labels=[...]``
and ``DefaultLabels`` of the ruleset the CDK deploys from libs/dq). The provider's operator fails on any failed rule
(``verify_result_status``) or none; this one runs the same evaluation, then judges the results itself: a failed or
errored rule whose severity is not one of the warning severities (no label included: when in doubt, stop) fails the
task, which is not retried, so the tasks downstream end ``upstream_failed``; failed warning rules are logged and
returned (the task's XCom), and Glue's "Data Quality Evaluation Results Available" event takes them to the dq-notifier
and the ``dq-alerts`` topic, as for every evaluation.

Hand-written, not generated: the DAG file generated from the pipeline definition imports it from the DAG folder
(which MWAA puts on ``sys.path``). Logs name rules by their DQDL text and outcome, never Glue's evaluation message,
which may quote data.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from airflow.providers.amazon.aws.operators.glue import GlueDataQualityRuleSetEvaluationRunOperator
from airflow.providers.amazon.aws.utils import validate_execute_complete_event
from airflow.sdk import Context
from airflow.sdk.exceptions import AirflowException, AirflowFailException

#: A rule result's outcome that passes; FAIL and ERROR do not.
PASSED = "PASS"


@dataclass(frozen=True)
class FailedRule:
    """A rule that did not pass: its ruleset, name, DQDL text, outcome and severity (no evaluation message)."""

    ruleset: str
    name: str
    rule: str
    result: str
    severity: str | None

    def as_dict(self) -> dict[str, str | None]:
        return {
            "ruleset": self.ruleset,
            "name": self.name,
            "rule": self.rule,
            "result": self.result,
            "severity": self.severity,
        }


@dataclass(frozen=True)
class GateVerdict:
    """What an evaluation came to: the failed rules that block, those that only warn, and how many passed."""

    blocking: list[FailedRule] = field(default_factory=list)
    warnings: list[FailedRule] = field(default_factory=list)
    passed: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "passed": self.passed,
            "blocking": [rule.as_dict() for rule in self.blocking],
            "warnings": [rule.as_dict() for rule in self.warnings],
        }


def judge_rule_results(
    results: Iterable[Mapping[str, Any]], severity_label: str, warning_severities: Sequence[str]
) -> GateVerdict:
    """Sorts the rule results of Glue's ``BatchGetDataQualityResult`` ``Results`` into blocking and warning failures."""
    verdict = GateVerdict()
    passed = 0
    for result in results:
        ruleset = str(result.get("RulesetName", ""))
        for rule in result.get("RuleResults", []):
            if rule.get("Result") == PASSED:
                passed += 1
                continue
            labels: Mapping[str, str] = rule.get("Labels") or {}
            severity = labels.get(severity_label)
            failed = FailedRule(
                ruleset=ruleset,
                name=str(rule.get("Name", "")),
                rule=str(rule.get("Description", "")),
                result=str(rule.get("Result", "")),
                severity=severity,
            )
            (verdict.warnings if severity in warning_severities else verdict.blocking).append(failed)
    return GateVerdict(blocking=verdict.blocking, warnings=verdict.warnings, passed=passed)


class DqGateOperator(GlueDataQualityRuleSetEvaluationRunOperator):
    """A Glue Data Quality ruleset evaluation that fails only on a failed rule of a blocking severity.

    :param severity_label: the rule label that carries the severity (libs/dq's ``SEVERITY_LABEL``)
    :param warning_severities: the severities whose failed rules only warn; any other, or none, blocks
    """

    #: The XCom key of the verdict: passed count, blocking and warning failures (rule names and DQDL text only).
    verdict_key = "dq_verdict"

    def __init__(
        self,
        *,
        severity_label: str,
        warning_severities: Sequence[str],
        **kwargs: Any,  # noqa: ANN401 - the provider operator's own arguments, passed through
    ) -> None:
        # The provider's own check fails on any failed rule, and its result table prints Glue's evaluation messages.
        super().__init__(verify_result_status=False, show_results=False, **kwargs)
        self.severity_label = severity_label
        self.warning_severities = tuple(warning_severities)

    def execute(self, context: Context) -> str:
        run_id = super().execute(context)  # deferrable: defers, and execute_complete judges
        if not self.wait_for_completion:
            return run_id
        return self.judge(context, run_id, self.hook.get_evaluation_run_results(run_id)["Results"])

    def execute_complete(self, context: Context, event: dict[str, Any] | None = None) -> str:
        validated = validate_execute_complete_event(event)
        if validated["status"] != "success":
            raise AirflowException(f"Glue Data Quality evaluation run did not complete: {validated.get('status')}")
        run_id = str(validated["evaluation_run_id"])
        return self.judge(context, run_id, self.hook.get_evaluation_run_results(run_id)["Results"])

    def judge(self, context: Context, run_id: str, results: Iterable[Mapping[str, Any]]) -> str:
        """Records the verdict (XCom ``dq_verdict``) and fails the task on a blocking failure; returns the run id."""
        verdict = judge_rule_results(results, self.severity_label, self.warning_severities)
        context["ti"].xcom_push(key=self.verdict_key, value=verdict.as_dict())
        for rule in verdict.warnings:
            self.log.warning("DQ warning: %s %s %s (%s)", rule.ruleset, rule.name, rule.result, rule.rule)
        for rule in verdict.blocking:
            self.log.error("DQ blocking: %s %s %s (%s)", rule.ruleset, rule.name, rule.result, rule.rule)
        self.log.info(
            "DQ gate %s: %d passed, %d warning(s), %d blocking",
            run_id,
            verdict.passed,
            len(verdict.warnings),
            len(verdict.blocking),
        )
        if verdict.blocking:
            names = ", ".join(f"{rule.name} ({rule.rule})" for rule in verdict.blocking)
            # AirflowFailException: a failed rule is deterministic, never retried.
            raise AirflowFailException(
                f"DQ gate {self.task_id}: blocking rule(s) did not pass: {names} [DQ_BLOCKING_RULE_FAILED]"
            )
        return run_id
