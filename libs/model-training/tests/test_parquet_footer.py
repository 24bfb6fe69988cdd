"""``parquet_row_count`` reads a Parquet footer's row count as pyarrow does, without pyarrow: the score task's ending
runs in MWAA, whose environment does not pin pyarrow. Files written here by pyarrow (the scoring script's writer)."""

from __future__ import annotations

import io

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from cur_model.parquet_footer import ParquetFooterError, parquet_row_count


def parquet_bytes(table: pa.Table, **options: object) -> bytes:
    sink = io.BytesIO()
    pq.write_table(table, sink, **options)
    return sink.getvalue()


def model_tags(rows: int) -> pa.Table:
    """model_tags' shape: tokens, a tag, a score, the version, a nullable column and a nested one."""
    return pa.table(
        {
            "cust_id": [f"tok_{i:08x}" for i in range(rows)],
            "tag": ["digital_native"] * rows,
            "score": [i / max(rows, 1) for i in range(rows)],
            "model_version": ["cur-dev-train-digital_native-20261125-000000-abcd"] * rows,
            "note": [None if i % 3 else "x" for i in range(rows)],
            "flags": [[i % 2 == 0, True] for i in range(rows)],
        }
    )


@pytest.mark.parametrize(
    ("rows", "options"),
    [
        (0, {}),
        (1, {}),
        (1000, {"row_group_size": 70}),  # many row groups, each with its column statistics
        (5000, {"compression": "zstd", "write_statistics": False}),
        (2500, {"compression": "snappy", "use_dictionary": False, "data_page_version": "2.0"}),
    ],
)
def test_the_row_count_is_the_one_pyarrow_reads(rows: int, options: dict[str, object]) -> None:
    # Prepare
    data = parquet_bytes(model_tags(rows), **options)

    # Act
    counted = parquet_row_count(data)

    # Assess
    assert counted == pq.read_metadata(pa.BufferReader(data)).num_rows == rows


def test_a_file_with_key_value_metadata_and_a_large_schema_is_read() -> None:
    # Prepare: a footer whose schema list is long (more than 14 elements: the list size in its own varint)
    columns = {f"c{i}": list(range(300)) for i in range(40)}
    table = pa.table(columns).replace_schema_metadata({"cur": "model_tags", "version": "1"})
    data = parquet_bytes(table, row_group_size=64)

    # Act, Assess
    assert parquet_row_count(data) == 300


@pytest.mark.parametrize(
    "data",
    [b"", b"PAR1", b"not a parquet file at all", b"PAR1" + b"\x00" * 8 + b"PARE"],
)
def test_what_is_not_a_plain_parquet_file_is_refused(data: bytes) -> None:
    with pytest.raises(ParquetFooterError):
        parquet_row_count(data)


def test_a_truncated_footer_is_refused() -> None:
    # Prepare: the last 8 bytes kept, the footer cut in half (its length still claims the whole)
    data = parquet_bytes(model_tags(10))
    length = int.from_bytes(data[-8:-4], "little")
    cut = data[:4] + data[-8 - length // 2 :]

    # Act, Assess
    with pytest.raises(ParquetFooterError):
        parquet_row_count(cut)
