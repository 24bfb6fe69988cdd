"""`cur lineage export` after `cur demo` writes a file DataHub's own SDK accepts, whose lineage joins the zones."""

from __future__ import annotations

from collections import Counter

from datahub.emitter.mcp import MetadataChangeProposalWrapper
from datahub.metadata.schema_classes import (
    AssertionInfoClass,
    AssertionRunEventClass,
    DataProcessInstanceRunEventClass,
    SchemaMetadataClass,
    UpstreamLineageClass,
)

from cur_lineage_check.demo import Demo
from cur_lineage_check.validate import load_proposals, validate_proposals

SOURCES = ("customer_profile", "account_balance", "card_transaction", "digital_activity")


def _dataset(zone: str, name: str) -> str:
    return f"urn:li:dataset:(urn:li:dataPlatform:glue,cur-dev.cur_dev_{zone}.{name},PROD)"


def _parsed(demo: Demo) -> list[MetadataChangeProposalWrapper]:
    parsed, errors = validate_proposals(load_proposals(demo.lineage_file))
    assert errors == []
    return parsed


def test_every_proposal_parses_into_its_aspect_class(demo: Demo) -> None:
    proposals = load_proposals(demo.lineage_file)

    parsed, errors = validate_proposals(proposals)

    assert errors == []
    assert len(parsed) == len(proposals) > 200
    entity_types = Counter(wrapper.entityType for wrapper in parsed)
    expected = {
        "tag",
        "glossaryTerm",
        "container",
        "dataset",
        "dataFlow",
        "dataJob",
        "dataProcessInstance",
        "assertion",
    }
    assert set(entity_types) == expected


def test_a_proposal_datahub_would_refuse_is_reported() -> None:
    bad = {
        "entityType": "dataset",
        "entityUrn": _dataset("raw", "customer_profile"),
        "changeType": "UPSERT",
        "aspectName": "upstreamLineage",
        # `type` is an enum: COPY, TRANSFORMED or VIEW.
        "aspect": {"json": {"upstreams": [{"dataset": _dataset("landing", "customer_profile"), "type": "MASKED"}]}},
    }
    unknown_field = {**bad, "aspectName": "status", "aspect": {"json": {"removed": False, "hidden": True}}}

    _, errors = validate_proposals([bad, unknown_field])

    assert [error.index for error in errors] == [0, 1]
    assert "hidden" in errors[1].reason


def test_lineage_joins_landing_to_mart_for_every_source_dataset(demo: Demo) -> None:
    upstreams: dict[str, set[str]] = {}
    for wrapper in _parsed(demo):
        if isinstance(wrapper.aspect, UpstreamLineageClass):
            assert wrapper.entityUrn is not None
            upstreams[wrapper.entityUrn] = {upstream.dataset for upstream in wrapper.aspect.upstreams}

    def reaches(source: str, target: str) -> bool:
        return source == target or any(reaches(source, upstream) for upstream in upstreams.get(target, set()))

    for name in SOURCES:
        # Each hop on its own, so the path cannot skip a zone: landing -> raw -> transformed -> consumption -> mart.
        hops = [
            (_dataset("landing", name), _dataset("raw", name)),
            (_dataset("raw", name), _dataset("transformed", name)),
            (_dataset("transformed", name), _dataset("consumption", "customer_features")),
            (_dataset("consumption", "customer_features"), _dataset("mart", "tag_metrics_monthly")),
        ]
        for source, target in hops:
            assert source in upstreams.get(target, set()), f"{name}: {source} -> {target}"


def _column_edges(demo: Demo) -> dict[str, set[str]]:
    """Each column's upstream columns, from every dataset's fine-grained lineage."""
    edges: dict[str, set[str]] = {}
    for wrapper in _parsed(demo):
        if isinstance(wrapper.aspect, UpstreamLineageClass):
            for hop in wrapper.aspect.fineGrainedLineages or []:
                for downstream in hop.downstreams or []:
                    edges.setdefault(downstream, set()).update(hop.upstreams or [])
    return edges


def test_column_lineage_joins_landing_to_mart_for_every_source_dataset(demo: Demo) -> None:
    edges = _column_edges(demo)

    def sources_of(column: str, seen: set[str] | None = None) -> set[str]:
        seen = set() if seen is None else seen
        if column in seen:
            return set()
        seen.add(column)
        ups = edges.get(column, set())
        return {column} if not ups else set().union(*(sources_of(up, seen) for up in ups))

    mart_columns = [column for column in edges if "_mart." in column]
    landing_sources = set().union(*(sources_of(column) for column in mart_columns))
    for name in SOURCES:
        assert any(f"cur_dev_landing.{name}," in column for column in landing_sources), name
    # A DM follows a balance from the extract to the feature and the metric.
    avg_aum = f"urn:li:schemaField:({_dataset('mart', 'tag_metrics_monthly')},avg_aum)"
    assert f"urn:li:schemaField:({_dataset('landing', 'account_balance')},balance)" in sources_of(avg_aum)


def test_masking_is_column_lineage_and_the_raw_column_is_tokenised(demo: Demo) -> None:
    parsed = _parsed(demo)
    raw = _dataset("raw", "customer_profile")

    lineage = next(w.aspect for w in parsed if w.entityUrn == raw and isinstance(w.aspect, UpstreamLineageClass))
    schema = next(w.aspect for w in parsed if w.entityUrn == raw and isinstance(w.aspect, SchemaMetadataClass))

    hop = next(f for f in lineage.fineGrainedLineages or [] if f.downstreams == [f"urn:li:schemaField:({raw},cust_id)"])
    assert hop.upstreams == [f"urn:li:schemaField:({_dataset('landing', 'customer_profile')},cust_id)"]
    assert hop.transformOperation == "MASK:ff1"
    cust_id = next(field for field in schema.fields if field.fieldPath == "cust_id")
    assert cust_id.globalTags is not None
    assert "urn:li:tag:cur.tokenised" in {tag.tag for tag in cust_id.globalTags.tags}
    assert cust_id.glossaryTerms is not None
    assert [term.urn for term in cust_id.glossaryTerms.terms] == ["urn:li:glossaryTerm:cur.classification.direct"]


def test_the_demo_run_is_a_process_instance_with_its_result(demo: Demo) -> None:
    events = [w.aspect for w in _parsed(demo) if isinstance(w.aspect, DataProcessInstanceRunEventClass)]

    results = [event.result.type for event in events if event.result is not None]

    assert results
    assert set(results) == {"SUCCESS"}


def test_the_dq_gates_results_are_assertions_with_outcomes(demo: Demo) -> None:
    parsed = _parsed(demo)

    infos = [w.aspect for w in parsed if isinstance(w.aspect, AssertionInfoClass)]
    events = [w.aspect for w in parsed if isinstance(w.aspect, AssertionRunEventClass)]

    assert infos
    assert all(info.datasetAssertion is not None and info.datasetAssertion.nativeType == "DQDL" for info in infos)
    assert len(events) >= len(infos)
    outcomes = {event.result.type for event in events if event.result is not None}
    assert outcomes <= {"SUCCESS", "FAILURE", "ERROR"}
    assert "SUCCESS" in outcomes
