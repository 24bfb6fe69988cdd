"""The DQ gate's judgement of Glue Data Quality's rule results (``BatchGetDataQualityResult``'s ``Results``), by each
rule's severity label as libs/dq declares it: a failed ``warning`` rule warns, any other failed rule blocks."""

from __future__ import annotations

from typing import Any

from cur_dq_gate import judge_rule_results

WARNINGS = ("warning",)


def rule(name: str, text: str, result: str, labels: dict[str, str] | None) -> dict[str, Any]:
    """A rule result in Glue's shape (``DataQualityRuleResult``), its evaluation message one the gate must not read."""
    found: dict[str, Any] = {
        "Name": name,
        "Description": text,
        "EvaluationMessage": "Value: 0.5 does not meet the constraint requirement!",
        "Result": result,
        "EvaluatedMetrics": {"Column.cust_id.Completeness": 0.5},
    }
    if labels is not None:
        found["Labels"] = labels
    return found


def test_failed_warning_rules_warn_and_failed_blocking_rules_block() -> None:
    # Prepare
    results = [
        {
            "ResultId": "dqresult-1",
            "RulesetName": "customer_profile_raw",
            "RuleResults": [
                rule("Rule_1", "RowCount > 0", "PASS", {"dataset": "customer_profile", "severity": "blocking"}),
                rule("Rule_2", 'IsPrimaryKey "source_row"', "FAIL", {"severity": "blocking"}),
                rule("Rule_3", 'ColumnValues "gender" in ["M", "F"]', "FAIL", {"severity": "warning"}),
                rule("Rule_4", 'Completeness "mobile" > 0.9', "ERROR", {"severity": "warning"}),
            ],
        }
    ]

    # Act
    verdict = judge_rule_results(results, "severity", WARNINGS)

    # Assess
    assert verdict.passed == 1
    assert [(r.name, r.result, r.severity) for r in verdict.blocking] == [("Rule_2", "FAIL", "blocking")]
    assert [(r.name, r.result) for r in verdict.warnings] == [("Rule_3", "FAIL"), ("Rule_4", "ERROR")]
    assert "does not meet" not in str(verdict.as_dict())


def test_a_failed_rule_without_a_known_severity_blocks() -> None:
    # Prepare: no labels at all, labels without the severity, an unknown severity
    results = [
        {
            "RulesetName": "account_balance_transformed",
            "RuleResults": [
                rule("Rule_1", "RowCount > 0", "FAIL", None),
                rule("Rule_2", "ColumnCount = 8", "FAIL", {"dataset": "account_balance"}),
                rule("Rule_3", 'Sum "balance" > 0', "ERROR", {"severity": "info"}),
            ],
        }
    ]

    # Act
    verdict = judge_rule_results(results, "severity", WARNINGS)

    # Assess
    assert [r.name for r in verdict.blocking] == ["Rule_1", "Rule_2", "Rule_3"]
    assert verdict.warnings == []
    assert verdict.passed == 0


def test_results_of_several_rulesets_are_judged_together() -> None:
    results = [
        {"RulesetName": "a", "RuleResults": [rule("Rule_1", "RowCount > 0", "PASS", {"severity": "blocking"})]},
        {"RulesetName": "b", "RuleResults": [rule("Rule_1", "RowCount > 0", "FAIL", {"severity": "warning"})]},
    ]

    verdict = judge_rule_results(results, "severity", WARNINGS)

    assert verdict.passed == 1
    assert [(r.ruleset, r.name) for r in verdict.warnings] == [("b", "Rule_1")]
    assert verdict.blocking == []
