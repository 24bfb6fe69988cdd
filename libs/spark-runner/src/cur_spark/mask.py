"""The mask step on Spark: one landing batch in, one raw Parquet file out, every sensitive column tokenised.

The crypto has one implementation, the masking-key-service: for each column to mask, the job collects the column's
distinct non-null values, sends them in batches to ``POST /v1/tokenize`` and joins the tokens back. It writes exactly
what the DuckDB mask step writes: ``source_row`` (BIGINT, the 1-based position in the file), the landing columns in
order (text), ``business_date`` (text), in file order, as one zstd Parquet file.

Plaintext exists only inside the job: its messages name the dataset, date, column, counts and positions, never a
value; Spark and HTTP errors are replaced by coded ``MaskError``s without them attached (their messages can quote a
row), and Spark's own log is turned off while the job runs (a failed task logs its exception with the row).
"""

from __future__ import annotations

import contextlib
import logging
import os
import time
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

from pyspark import StorageLevel
from pyspark.errors import PySparkException
from pyspark.sql import Column, DataFrame, SparkSession
from pyspark.sql import functions as F  # noqa: N812 - Spark's own convention
from pyspark.sql.types import LongType, StringType, StructField, StructType

from cur_spark.errors import SPARK_ERRORS, MaskError, _java_error_class
from cur_spark.mask_request import (
    BUSINESS_DATE_COLUMN,
    SOURCE_ROW_COLUMN,
    MaskColumn,
    MaskedColumnResult,
    MaskRequest,
    MaskResult,
    SigV4Auth,
    parse_mask_request,
)
from cur_spark.tokenize_client import Signer, TokenizeClient, bearer_signer, sigv4_signer

SPARK_ENCODINGS = {"utf-8": "UTF-8", "big5": "x-windows-950"}
"""Java's name of each landing encoding: Big5 as Taiwanese banks write it is CP950 (MS950), as ingestion decodes it."""

T = TypeVar("T")

_ID_BITS = 33
"""``monotonically_increasing_id`` puts the partition index above the lower 33 bits."""


def run_mask(spark: SparkSession, request: MaskRequest | str | bytes | dict[str, Any]) -> MaskResult:
    """Masks one landing batch as ``request`` says and writes its raw Parquet file.

    Example::

        result = run_mask(spark, Path("mask-request.json").read_text())
        print(result.rows_out, result.key_versions, result.files)

    The bearer credential is read from the environment variable the request names. Raises ``MaskError`` with a code:
    ``MASK_REQUEST_INVALID``, ``MASK_CREDENTIAL_MISSING``, ``MASK_BAD_HEADER``, ``MASK_INPUT_UNREADABLE``,
    ``MASK_ROW_COUNT_MISMATCH``, ``KEY_SERVICE_REFUSED`` / ``KEY_SERVICE_FAILED`` / ``KEY_SERVICE_BAD_RESPONSE``,
    ``MASK_KEY_VERSION_CHANGED``, ``MASKING_INCOMPLETE`` (nothing written) or ``MASK_SPARK_FAILED``.
    """
    if not isinstance(request, MaskRequest):
        request = parse_mask_request(request)
    client = TokenizeClient(request.tokenize, _signer(request))
    started = time.perf_counter()
    with _quiet_spark(spark):
        staged: DataFrame | None = None
        try:
            staged = _stage(spark, request).persist(StorageLevel.MEMORY_AND_DISK)
            rows_in = _spark_step(spark, request, "count the rows", staged.count)
            if rows_in != request.landing.row_count:
                raise MaskError(
                    "MASK_ROW_COUNT_MISMATCH",
                    f"{_where(request)}: the file has {rows_in} data rows; its control file declares "
                    f"{request.landing.row_count}; nothing was written",
                )
            masked, columns = staged, []
            for item in request.mask_columns:
                masked, column = _mask_column(spark, request, client, masked, item)
                columns.append(column)
            _refuse_unmasked(spark, request, masked)
            files, rows_out = _write(spark, request, masked)
        finally:
            if staged is not None:
                with contextlib.suppress(*SPARK_ERRORS):
                    staged.unpersist()
    return MaskResult(
        dataset=request.dataset,
        business_date=request.business_date,
        rows_in=rows_in,
        rows_out=rows_out,
        columns=columns,
        key_versions={c.column: c.key_version for c in columns if c.key_version is not None},
        output_path=request.output.path,
        files=files,
        duration_ms=round((time.perf_counter() - started) * 1000),
    )


def _signer(request: MaskRequest) -> Signer:
    """How each tokenize call authenticates: the bearer credential in the environment, or SigV4 as the job's role."""
    auth = request.tokenize.auth
    if isinstance(auth, SigV4Auth):
        return sigv4_signer(auth.region, auth.service)
    token = os.environ.get(auth.token_env, "")
    if not token:
        raise MaskError(
            "MASK_CREDENTIAL_MISSING",
            f"the key service credential is missing: set {auth.token_env} in the job's environment",
        )
    return bearer_signer(token)


def _where(request: MaskRequest) -> str:
    return f"mask of {request.dataset} for {request.business_date.isoformat()}"


def _stage(spark: SparkSession, request: MaskRequest) -> DataFrame:
    """The file's rows, every column a string, an empty field NULL, plus ``source_row`` in file order."""
    landing = request.landing
    options = {
        "encoding": SPARK_ENCODINGS[landing.encoding],
        "quote": '"',
        "escape": '"',  # RFC 4180: a quote inside a quoted field is doubled
        "multiLine": "true",  # RFC 4180: line breaks inside quoted fields; one file, one partition, file order
        # A line separator named: without one, Spark turns a CRLF inside quotes into LF (DuckDB keeps it); with LF,
        # a CRLF file's last unquoted field keeps its CR, taken off below.
        "lineSep": "\n",
        "mode": "FAILFAST",  # ingestion verified the file: a malformed row is an error, never a row of nulls
        "header": "true",
    }
    header = _spark_step(
        spark, request, "read the header", lambda: spark.read.options(**options).csv(landing.path).columns
    )
    names = [name.removeprefix("\ufeff").strip() if i == 0 else name.strip() for i, name in enumerate(header)]
    if names != landing.columns:
        differs = next((i for i, (a, b) in enumerate(zip(names, landing.columns, strict=False)) if a != b), None)
        position = f"column {differs + 1} ({landing.columns[differs]}) differs" if differs is not None else "counts"
        raise MaskError(
            "MASK_BAD_HEADER",
            f"{_where(request)}: the file's header does not name the request's columns: {position}; "
            f"the file has {len(names)} column(s), the request {len(landing.columns)}",
        )
    schema = StructType([StructField(name, StringType(), nullable=True) for name in landing.columns])
    frame = spark.read.schema(schema).options(**options).csv(landing.path)
    last = landing.columns[-1]
    # The record's CR when lines end with CRLF (RFC 4180). Known limit: a quoted last field that itself ends with a CR
    # loses it (Spark's CSV reader does not say whether a field was quoted); ingestion's generator never writes one.
    frame = frame.withColumn(last, F.regexp_replace(F.col(last), "\r$", ""))
    # An empty field, quoted or not, is NULL, as DuckDB's reader and the JavaScript one read it.
    frame = frame.select(*[F.when(F.col(c) == "", F.lit(None)).otherwise(F.col(c)).alias(c) for c in landing.columns])
    return _with_source_row(spark, request, frame)


def _with_source_row(spark: SparkSession, request: MaskRequest, frame: DataFrame) -> DataFrame:
    """Adds the 1-based file position: partitions hold consecutive runs of the file in order, so a row's position is
    its index in its partition plus the rows of the partitions before it (counted once, a number per partition)."""
    # Read twice (counts, then rows): one file read the same way splits the same way, so the ids are the same.
    with_id = frame.withColumn("_cur_id", F.monotonically_increasing_id())
    counts = _spark_step(
        spark,
        request,
        "count rows per partition",
        lambda: with_id.groupBy(F.shiftright("_cur_id", _ID_BITS).alias("p")).count().collect(),
    )
    offsets: dict[int, int] = {}
    total = 0
    for row in sorted(counts, key=lambda r: int(r["p"])):
        offsets[int(row["p"])] = total
        total += int(row["count"])
    offset = F.lit(0).cast(LongType())
    for partition, before in offsets.items():
        offset = F.when(F.shiftright("_cur_id", _ID_BITS) == partition, F.lit(before)).otherwise(offset)
    position = F.col("_cur_id").bitwiseAND(F.lit((1 << _ID_BITS) - 1)) + offset + F.lit(1)
    return with_id.select(position.cast(LongType()).alias(SOURCE_ROW_COLUMN), *request.landing.columns)


def _distinct_values(spark: SparkSession, request: MaskRequest, frame: DataFrame, column: str) -> Iterator[str]:
    distinct = frame.where(F.col(column).isNotNull()).select(column).distinct()
    try:
        for row in distinct.toLocalIterator():
            yield str(row[0])
    except SPARK_ERRORS as error:
        raise _spark_failure(request, f"collect the distinct values of {column}", error) from None


def _mask_column(
    spark: SparkSession, request: MaskRequest, client: TokenizeClient, frame: DataFrame, item: MaskColumn
) -> tuple[DataFrame, MaskedColumnResult]:
    """Tokenises the column's distinct values in batches and joins the tokens back in place of the values."""
    spark.sparkContext.setJobDescription(f"cur mask {request.dataset} {request.business_date}: {item.column}")
    pairs: list[tuple[str, str | None]] = []
    key_version: int | None = None
    batches = 0
    batch: list[str] = []

    def send() -> None:
        nonlocal key_version, batches
        answer = client.tokenize(item.tokenize, batch)
        batches += 1
        if batches > 1 and answer.key_version != key_version:
            raise MaskError(
                "MASK_KEY_VERSION_CHANGED",
                f"{_where(request)}: {item.column}'s key version changed between calls "
                f"({key_version} then {answer.key_version}): the key group was rotated mid-batch; run it again",
            )
        key_version = answer.key_version
        pairs.extend(zip(batch, answer.tokens, strict=True))
        batch.clear()

    for value in _distinct_values(spark, request, frame, item.column):
        batch.append(value)
        if len(batch) == request.tokenize.batch_values:
            send()
    if batch:
        send()
    if batches == 0:
        # No value to mask: one call with a NULL alone (no plaintext, nothing tokenised) learns the key version the
        # column would be masked under, which the DuckDB step records too (a re-tokenise needs every partition's).
        key_version = client.tokenize(item.tokenize, [None]).key_version
        batches = 1
    value_col, token_col, hit_col = f"_cur_v_{item.column}", f"_cur_t_{item.column}", f"_cur_hit_{item.column}"
    schema = StructType([StructField(value_col, StringType(), False), StructField(token_col, StringType(), True)])
    tokens = spark.createDataFrame(pairs, schema).withColumn(hit_col, F.lit(True))
    joined = frame.join(F.broadcast(tokens), frame[item.column] == tokens[value_col], "left")
    # The value column is kept beside the token until the check: a row whose value found no token is counted there.
    masked = joined.withColumn(f"_cur_plain_{item.column}", F.col(item.column).isNotNull()).select(
        *[c for c in frame.columns if c != item.column],
        F.col(token_col).alias(item.column),
        F.col(f"_cur_plain_{item.column}"),
        F.col(hit_col),
    )
    return masked, MaskedColumnResult(
        column=item.column, distinct_values=len(pairs), batches=batches, key_version=key_version
    )


def _unmasked(column: str) -> Column:
    return F.col(f"_cur_plain_{column}") & F.col(f"_cur_hit_{column}").isNull()


def _refuse_unmasked(spark: SparkSession, request: MaskRequest, frame: DataFrame) -> None:
    """Refuses to write while any non-null value found no token: it would stay plaintext in raw."""
    if not request.mask_columns:
        return
    spark.sparkContext.setJobDescription(f"cur mask {request.dataset} {request.business_date}: check")
    counts = [F.sum(F.when(_unmasked(m.column), 1).otherwise(0)).alias(m.column) for m in request.mask_columns]
    row = _spark_step(spark, request, "check every value was masked", lambda: frame.agg(*counts).collect()[0])
    missed = {m.column: int(row[m.column] or 0) for m in request.mask_columns if int(row[m.column] or 0) > 0}
    if missed:
        detail = ", ".join(f"{column}: {count} value(s)" for column, count in missed.items())
        raise MaskError(
            "MASKING_INCOMPLETE",
            f"{_where(request)}: {detail} found no token and would stay plaintext; nothing was written",
        )


def _write(spark: SparkSession, request: MaskRequest, frame: DataFrame) -> tuple[list[str], int]:
    """One zstd Parquet file in file order: ``source_row``, the columns in the file's order, ``business_date``."""
    spark.sparkContext.setJobDescription(f"cur mask {request.dataset} {request.business_date}: write")
    out = frame.select(
        F.col(SOURCE_ROW_COLUMN).cast(LongType()),
        *[F.col(c).cast(StringType()) for c in request.landing.columns],
        F.lit(request.business_date.isoformat()).cast(StringType()).alias(BUSINESS_DATE_COLUMN),
    )

    def write() -> tuple[list[str], int]:
        out.coalesce(1).sortWithinPartitions(SOURCE_ROW_COLUMN).write.mode("overwrite").option(
            "compression", "zstd"
        ).parquet(request.output.path)
        written = spark.read.parquet(request.output.path)
        return sorted(written.inputFiles()), written.count()

    return _spark_step(spark, request, "write the raw Parquet", write)


def _spark_step(spark: SparkSession, request: MaskRequest, stage: str, work: Callable[[], T]) -> T:
    """Runs one Spark action; a Spark failure becomes a ``MaskError`` without Spark's message or the error attached."""
    try:
        result: T = work()
    except SPARK_ERRORS as error:
        raise _spark_failure(request, stage, error) from None
    return result


def _spark_failure(request: MaskRequest, stage: str, error: BaseException) -> MaskError:
    """Names Spark's error class (never its message, which can quote a row); a malformed file gets its own code."""
    if isinstance(error, PySparkException):
        name = error.getErrorClass() or type(error).__name__
    else:
        name = _java_error_class(error) if hasattr(error, "java_exception") else type(error).__name__
    code = "MASK_INPUT_UNREADABLE" if "MALFORMED" in name or "CharacterCoding" in name else "MASK_SPARK_FAILED"
    return MaskError(code, f"{_where(request)}: Spark failed to {stage}: {name}")


@contextlib.contextmanager
def _quiet_spark(spark: SparkSession) -> Iterator[None]:
    """Spark's log off while plaintext is in the session, py4j's Python logger at WARNING; restored afterwards."""
    jvm: Any = spark.sparkContext._jvm  # log4j's level is only reachable through the gateway
    previous: str | None = None
    with contextlib.suppress(Exception):
        previous = str(jvm.org.apache.logging.log4j.LogManager.getRootLogger().getLevel().name())
    py4j_logger = logging.getLogger("py4j")
    py4j_level = py4j_logger.level
    py4j_logger.setLevel(logging.WARNING)
    spark.sparkContext.setLogLevel("OFF")
    try:
        yield
    finally:
        spark.sparkContext.setJobDescription(None)  # type: ignore[arg-type]  # pyspark's stub lacks Optional
        spark.sparkContext.setLogLevel(previous or "ERROR")
        py4j_logger.setLevel(py4j_level)
