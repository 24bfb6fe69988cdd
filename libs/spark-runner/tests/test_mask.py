"""The Spark mask job: landing CSV (UTF-8 or Big5, gzip or not, RFC 4180) in, raw Parquet out, tokens from HTTP.

The tokenize API here is a stand-in served on loopback (the real one is TypeScript: libs/pipeline's parity test runs
the job against the masking-key-service's own handler and compares with the DuckDB mask step). It speaks the same
protocol: ``POST /v1/tokenize`` with a bearer token, ``{dataset, column, values}`` in, ``{tokens, keyVersion}`` out,
problem+json refusals; it records every call so the tests see what the job sent.
"""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import hmac
import json
import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from jsonschema import Draft202012Validator
from pyspark.sql import SparkSession
from pyspark.sql.types import LongType, StringType, StructField, StructType

import cur_spark.mask as mask_module
from cur_spark.errors import MaskError
from cur_spark.jobs.mask import main, parse_job_arguments
from cur_spark.mask import run_mask
from cur_spark.mask_request import MaskRequest, MaskRequestTemplate, parse_mask_request, request_from_template

if TYPE_CHECKING:
    from conftest import MotoAws

TOKEN_ENV = "CUR_TEST_KEY_SERVICE_TOKEN"  # noqa: S105 - a variable's name
SECRET = "per-run-secret-0123456789"  # noqa: S105 - the stand-in's credential
KEY_VERSION = 3


def stand_in_token(dataset: str, column: str, value: str) -> str:
    return "tok_" + hashlib.sha256(f"{dataset}|{column}|{value}".encode()).hexdigest()[:20]


@dataclass
class StandInKeyService:
    """Records calls; ``fail_next`` statuses are answered first (then tokens); ``generalise`` columns answer None."""

    url: str = ""
    calls: list[dict[str, Any]] = field(default_factory=list)
    fail_next: list[int] = field(default_factory=list)
    unauthorised: int = 0
    keyless_columns: set[str] = field(default_factory=set)

    sigv4: bool = False

    def answer(self, headers: dict[str, str], raw: bytes) -> tuple[int, dict[str, Any]]:
        body = json.loads(raw)
        signed = verify_sigv4(headers, "/v1/tokenize", raw) if self.sigv4 else None
        if (self.sigv4 and not signed) or (not self.sigv4 and headers.get("authorization") != f"Bearer {SECRET}"):
            self.unauthorised += 1
            return 401, {"code": "UNAUTHENTICATED", "detail": "no"}
        self.calls.append(body)
        if self.fail_next:
            status = self.fail_next.pop(0)
            return status, {"code": "ACCESS_DENIED" if status == 403 else "SERVICE_UNAVAILABLE"}
        if body["column"] in self.keyless_columns:
            return 200, {"tokens": [None if v is None else v[:4] for v in body["values"]]}
        tokens = [None if v is None else stand_in_token(body["dataset"], body["column"], v) for v in body["values"]]
        return 200, {"tokens": tokens, "keyVersion": KEY_VERSION}


@pytest.fixture
def key_service(monkeypatch: pytest.MonkeyPatch) -> Iterator[StandInKeyService]:
    service = StandInKeyService()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("content-length", "0"))
            headers = {name.lower(): value for name, value in self.headers.items()}
            status, payload = service.answer(headers, self.rfile.read(length))
            body = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("content-type", "application/json")
            self.send_header("content-length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:  # noqa: ANN401 - http.server's signature
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    service.url = f"http://127.0.0.1:{server.server_address[1]}/v1/tokenize"
    monkeypatch.setenv(TOKEN_ENV, SECRET)
    yield service
    server.shutdown()
    server.server_close()


# AWS's documentation example key pair: the stand-in verifies signatures made with it.
AWS_KEY_ID = "AKIAIOSFODNN7EXAMPLE"
AWS_SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"  # noqa: S105 - AWS's published example
AWS_REGION = "ap-northeast-1"


def verify_sigv4(headers: dict[str, str], path: str, body: bytes, service: str = "lambda") -> bool:
    """AWS Signature Version 4, checked the way AWS documents it (written here, not botocore's): the canonical request
    of the signed headers and the body's SHA-256, the string to sign, the key derived from the secret and the scope."""
    match = re.fullmatch(
        r"AWS4-HMAC-SHA256 Credential=([^/]+)/(\d{8})/([^/]+)/([^/]+)/aws4_request, "
        r"SignedHeaders=([a-z0-9;-]+), Signature=([0-9a-f]{64})",
        headers.get("authorization", ""),
    )
    if match is None:
        return False
    key_id, day, region, signed_service, signed_headers, signature = match.groups()
    if (key_id, region, signed_service) != (AWS_KEY_ID, AWS_REGION, service) or "host" not in signed_headers:
        return False
    names = signed_headers.split(";")
    canonical = "\n".join(
        [
            "POST",
            path,
            "",
            *(f"{name}:{' '.join(headers.get(name, '').split())}" for name in names),
            "",
            signed_headers,
            hashlib.sha256(body).hexdigest(),
        ]
    )
    amz_date = headers.get("x-amz-date", "")
    scope = f"{day}/{region}/{service}/aws4_request"
    to_sign = f"AWS4-HMAC-SHA256\n{amz_date}\n{scope}\n{hashlib.sha256(canonical.encode()).hexdigest()}"
    key = ("AWS4" + AWS_SECRET).encode()
    for part in (day, region, service, "aws4_request"):
        key = hmac.new(key, part.encode(), hashlib.sha256).digest()
    return hmac.compare_digest(hmac.new(key, to_sign.encode(), hashlib.sha256).hexdigest(), signature)


COLUMNS = ["cust_id", "name", "address", "branch_code"]
# RFC 4180 with CRLF line ends: a comma and a doubled quote inside quotes, a line break inside quotes, an empty
# (NULL) field, a quoted empty field (NULL too, as DuckDB and the JavaScript reader read it), a repeated value.
UTF8_ROWS = (
    "cust_id,name,address,branch_code\r\n"
    'A123456789,王小明,"臺北市信義區松仁路100號, 5樓",B01\r\n'
    'B223456789,"陳""阿美""",,B02\r\n'
    'A123456789,王小明,"高雄市\r\n前鎮區",B01\r\n'
    'C123456789,"",臺中市西屯區,\r\n'
    'E123456789,林志玲,"臺南市\r\n","B,03"\r\n'
)
PLAINTEXT = [
    *("A123456789", "B223456789", "C123456789", "E123456789"),
    *("林志玲", "王小明", '陳"阿美"', "臺北市信義區松仁路100號, 5樓", "前鎮區"),
]


def write_landing(folder: Path, text: str, *, encoding: str = "utf-8", gzipped: bool = False) -> Path:
    data = text.encode("cp950" if encoding == "big5" else "utf-8")
    path = folder / f"customer_profile_20261125.csv{'.gz' if gzipped else ''}"
    path.write_bytes(gzip.compress(data) if gzipped else data)
    return path


def request_for(
    landing: Path, out: Path, service: StandInKeyService, *, rows: int = 5, **landing_fields: str
) -> dict[str, Any]:
    return {
        "version": 1,
        "dataset": "customer_profile",
        "businessDate": "2026-11-25",
        "landing": {
            "path": str(landing),
            "encoding": "utf-8",
            "compression": "gzip" if str(landing).endswith(".gz") else "none",
            "columns": COLUMNS,
            "rowCount": rows,
            **landing_fields,
        },
        "maskColumns": [
            {"column": c, "tokenize": {"dataset": "customer_profile", "column": c}}
            for c in ("cust_id", "name", "address")
        ],
        "output": {"path": str(out)},
        "tokenize": {"url": service.url, "batchValues": 10000, "auth": {"kind": "bearer", "tokenEnv": TOKEN_ENV}},
    }


def rows_of(spark: SparkSession, path: Path) -> list[tuple[Any, ...]]:
    return [tuple(row) for row in spark.read.parquet(str(path)).collect()]


def tok(column: str, value: str) -> str:
    return stand_in_token("customer_profile", column, value)


EXPECTED = [
    (1, tok("cust_id", "A123456789"), tok("name", "王小明"), tok("address", "臺北市信義區松仁路100號, 5樓"), "B01"),
    (2, tok("cust_id", "B223456789"), tok("name", '陳"阿美"'), None, "B02"),
    (3, tok("cust_id", "A123456789"), tok("name", "王小明"), tok("address", "高雄市\r\n前鎮區"), "B01"),
    (4, tok("cust_id", "C123456789"), None, tok("address", "臺中市西屯區"), None),
    (5, tok("cust_id", "E123456789"), tok("name", "林志玲"), tok("address", "臺南市\r\n"), "B,03"),
]


class TestRunMask:
    def test_masks_a_utf8_batch_in_file_order_with_the_raw_columns_and_types(
        self, spark: SparkSession, key_service: StandInKeyService, tmp_path: Path
    ) -> None:
        # Prepare
        landing = write_landing(tmp_path, UTF8_ROWS)

        # Act
        result = run_mask(spark, request_for(landing, tmp_path / "out", key_service))

        # Assess
        written = spark.read.parquet(str(tmp_path / "out"))
        assert written.schema == StructType(
            [
                StructField("source_row", LongType()),
                *(StructField(c, StringType()) for c in COLUMNS),
                StructField("business_date", StringType()),
            ]
        )
        assert rows_of(spark, tmp_path / "out") == [(*row, "2026-11-25") for row in EXPECTED]
        assert (result.rows_in, result.rows_out, len(result.files)) == (5, 5, 1)
        assert result.key_versions == {"cust_id": KEY_VERSION, "name": KEY_VERSION, "address": KEY_VERSION}
        assert [(c.column, c.distinct_values, c.batches) for c in result.columns] == [
            ("cust_id", 4, 1),
            ("name", 3, 1),
            ("address", 4, 1),
        ]

    def test_sends_only_distinct_non_null_values_in_batches_no_larger_than_asked(
        self, spark: SparkSession, key_service: StandInKeyService, tmp_path: Path
    ) -> None:
        request = request_for(write_landing(tmp_path, UTF8_ROWS), tmp_path / "out", key_service)
        request["tokenize"]["batchValues"] = 2

        result = run_mask(spark, request)

        sent = {c: [v for call in key_service.calls if call["column"] == c for v in call["values"]] for c in COLUMNS}
        assert sorted(sent["cust_id"]) == ["A123456789", "B223456789", "C123456789", "E123456789"]
        assert sorted(sent["name"]) == sorted(["王小明", '陳"阿美"', "林志玲"])
        assert all(1 <= len(call["values"]) <= 2 for call in key_service.calls)
        assert sent["branch_code"] == []
        assert [c.batches for c in result.columns] == [2, 2, 2]

    def test_reads_a_big5_gzip_batch(self, spark: SparkSession, key_service: StandInKeyService, tmp_path: Path) -> None:
        landing = write_landing(tmp_path, UTF8_ROWS, encoding="big5", gzipped=True)

        run_mask(spark, request_for(landing, tmp_path / "out", key_service, encoding="big5"))

        assert rows_of(spark, tmp_path / "out") == [(*row, "2026-11-25") for row in EXPECTED]

    def test_keeps_a_keyless_columns_answer_nulls_included_and_records_no_key_version(
        self, spark: SparkSession, key_service: StandInKeyService, tmp_path: Path
    ) -> None:
        key_service.keyless_columns = {"address"}

        result = run_mask(spark, request_for(write_landing(tmp_path, UTF8_ROWS), tmp_path / "out", key_service))

        addresses = [row[3] for row in rows_of(spark, tmp_path / "out")]
        assert addresses == ["臺北市信", None, "高雄市\r", "臺中市西", "臺南市\r"]
        assert "address" not in result.key_versions

    def test_records_the_key_version_of_a_column_without_values_sending_no_value(
        self, spark: SparkSession, key_service: StandInKeyService, tmp_path: Path
    ) -> None:
        # Prepare: every branch_code empty; masked, it has no value to send but a key version to record.
        landing = write_landing(tmp_path, "cust_id,name,address,branch_code\r\nA123456789,王小明,臺北市,\r\n")
        request = request_for(landing, tmp_path / "out", key_service, rows=1)
        request["maskColumns"].append({"column": "branch_code", "tokenize": request["maskColumns"][0]["tokenize"]})

        # Act
        result = run_mask(spark, request)

        # Assess
        assert result.key_versions["branch_code"] == KEY_VERSION
        assert [call["values"] for call in key_service.calls if call["column"] == "cust_id"][-1] == [None]
        assert rows_of(spark, tmp_path / "out")[0][4] is None

    def test_retries_a_transient_failure_and_not_a_refusal(
        self, spark: SparkSession, key_service: StandInKeyService, tmp_path: Path
    ) -> None:
        landing = write_landing(tmp_path, UTF8_ROWS)
        key_service.fail_next = [503, 429]

        run_mask(spark, request_for(landing, tmp_path / "out", key_service))
        key_service.calls.clear()
        key_service.fail_next = [403]
        with pytest.raises(MaskError) as refused:
            run_mask(spark, request_for(landing, tmp_path / "out2", key_service))

        assert refused.value.code == "KEY_SERVICE_REFUSED"
        assert "403 ACCESS_DENIED" in str(refused.value)
        assert len(key_service.calls) == 1
        assert not (tmp_path / "out2").exists()

    def test_refuses_to_write_when_a_value_found_no_token(
        self, spark: SparkSession, key_service: StandInKeyService, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        # Prepare: a value lost between the engine and the API (fault injected), so its rows keep no token.
        collect = mask_module._distinct_values

        def losing_one(*args: Any) -> Iterator[str]:  # noqa: ANN401
            return (value for value in collect(*args) if value != "B223456789")

        monkeypatch.setattr(mask_module, "_distinct_values", losing_one)

        # Act
        with pytest.raises(MaskError) as incomplete:
            run_mask(spark, request_for(write_landing(tmp_path, UTF8_ROWS), tmp_path / "out", key_service))

        # Assess
        assert incomplete.value.code == "MASKING_INCOMPLETE"
        assert "cust_id: 1 value(s) found no token" in str(incomplete.value)
        assert not (tmp_path / "out").exists()
        assert_no_plaintext(incomplete.value)

    def test_refuses_a_malformed_file_without_quoting_it(
        self, spark: SparkSession, key_service: StandInKeyService, tmp_path: Path
    ) -> None:
        landing = write_landing(tmp_path, UTF8_ROWS + "D123456789,王小明,臺北市,B01,extra,fields\r\n")

        with pytest.raises(MaskError) as malformed:
            run_mask(spark, request_for(landing, tmp_path / "out", key_service, rows=6))

        assert malformed.value.code == "MASK_INPUT_UNREADABLE"
        assert malformed.value.__cause__ is None
        assert_no_plaintext(malformed.value, "D123456789", "extra")

    def test_refuses_a_header_that_is_not_the_columns_naming_positions_only(
        self, spark: SparkSession, key_service: StandInKeyService, tmp_path: Path
    ) -> None:
        # A file that lost its header: its first line is a customer's values.
        landing = write_landing(tmp_path, UTF8_ROWS.split("\r\n", 1)[1])

        with pytest.raises(MaskError) as bad:
            run_mask(spark, request_for(landing, tmp_path / "out", key_service, rows=4))

        assert bad.value.code == "MASK_BAD_HEADER"
        assert "column 1 (cust_id) differs" in str(bad.value)
        assert_no_plaintext(bad.value)

    def test_refuses_a_row_count_other_than_the_control_files(
        self, spark: SparkSession, key_service: StandInKeyService, tmp_path: Path
    ) -> None:
        with pytest.raises(MaskError) as mismatch:
            run_mask(spark, request_for(write_landing(tmp_path, UTF8_ROWS), tmp_path / "out", key_service, rows=6))

        assert mismatch.value.code == "MASK_ROW_COUNT_MISMATCH"
        assert key_service.calls == []

    def test_names_the_missing_credential_variable(
        self, spark: SparkSession, key_service: StandInKeyService, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.delenv(TOKEN_ENV)

        with pytest.raises(MaskError, match=f"set {TOKEN_ENV}") as missing:
            run_mask(spark, request_for(write_landing(tmp_path, UTF8_ROWS), tmp_path / "out", key_service))

        assert missing.value.code == "MASK_CREDENTIAL_MISSING"

    def test_a_wrong_credential_is_a_refusal(
        self, spark: SparkSession, key_service: StandInKeyService, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setenv(TOKEN_ENV, "guessed")

        with pytest.raises(MaskError) as refused:
            run_mask(spark, request_for(write_landing(tmp_path, UTF8_ROWS), tmp_path / "out", key_service))

        assert (refused.value.code, key_service.unauthorised) == ("KEY_SERVICE_REFUSED", 1)


class TestSigV4:
    @pytest.fixture
    def aws_credentials(self, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
        for name in ("AWS_SESSION_TOKEN", "AWS_PROFILE"):
            monkeypatch.delenv(name, raising=False)
        monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "none"))
        monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "none"))
        monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
        monkeypatch.setenv("AWS_ACCESS_KEY_ID", AWS_KEY_ID)
        monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", AWS_SECRET)

    @pytest.mark.usefixtures("aws_credentials")
    def test_signs_every_call_as_the_jobs_role_as_aws_documents_it(
        self, spark: SparkSession, key_service: StandInKeyService, tmp_path: Path
    ) -> None:
        # Prepare: the stand-in accepts only a request whose SigV4 signature it recomputes (host, date, body hash).
        key_service.sigv4 = True
        request = request_for(write_landing(tmp_path, UTF8_ROWS), tmp_path / "out", key_service)
        request["tokenize"]["auth"] = {"kind": "sigv4", "region": AWS_REGION, "service": "lambda"}

        # Act
        result = run_mask(spark, request)

        # Assess
        assert key_service.unauthorised == 0
        assert len(key_service.calls) == 3
        assert rows_of(spark, tmp_path / "out") == [(*row, "2026-11-25") for row in EXPECTED]
        assert result.rows_out == 5

    @pytest.mark.usefixtures("aws_credentials")
    def test_a_signature_for_another_region_is_refused(
        self, spark: SparkSession, key_service: StandInKeyService, tmp_path: Path
    ) -> None:
        key_service.sigv4 = True
        request = request_for(write_landing(tmp_path, UTF8_ROWS), tmp_path / "out", key_service)
        request["tokenize"]["auth"] = {"kind": "sigv4", "region": "us-east-1", "service": "lambda"}

        with pytest.raises(MaskError) as refused:
            run_mask(spark, request)

        assert (refused.value.code, key_service.unauthorised) == ("KEY_SERVICE_REFUSED", 1)

    def test_names_missing_aws_credentials(
        self, spark: SparkSession, key_service: StandInKeyService, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE"):
            monkeypatch.delenv(name, raising=False)
        monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "none"))
        monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "none"))
        monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
        request = request_for(write_landing(tmp_path, UTF8_ROWS), tmp_path / "out", key_service)
        request["tokenize"]["auth"] = {"kind": "sigv4", "region": AWS_REGION, "service": "lambda"}

        with pytest.raises(MaskError) as missing:
            run_mask(spark, request)

        assert missing.value.code == "MASK_CREDENTIAL_MISSING"
        assert key_service.calls == []


def assert_no_plaintext(error: BaseException, *extra: str) -> None:
    text = f"{error!s} {error!r} {error.__cause__!r} {error.__context__ if not error.__suppress_context__ else ''}"
    for value in (*PLAINTEXT, *extra):
        assert value not in text


class TestMaskRequest:
    def test_refuses_a_gzip_batch_whose_name_does_not_end_with_gz(self, tmp_path: Path) -> None:
        request = request_for(tmp_path / "x.csv", tmp_path / "out", StandInKeyService(url="http://127.0.0.1:1/x"))
        request["landing"]["compression"] = "gzip"

        with pytest.raises(MaskError, match=r"landing: Value error, landing.path must end with .gz") as invalid:
            parse_mask_request(request)

        assert invalid.value.code == "MASK_REQUEST_INVALID"

    def test_refuses_a_mask_column_the_file_lacks_and_a_batch_larger_than_the_api_takes(self, tmp_path: Path) -> None:
        request = request_for(tmp_path / "x.csv", tmp_path / "out", StandInKeyService(url="http://127.0.0.1:1/x"))
        request["maskColumns"].append({"column": "mobile", "tokenize": {"dataset": "customer_profile", "column": "m"}})
        request["tokenize"]["batchValues"] = 10_001

        with pytest.raises(MaskError) as invalid:
            parse_mask_request(request)

        assert "tokenize.batchValues" in str(invalid.value)
        assert isinstance(MaskRequest, type)


class TestJob:
    def test_takes_the_request_and_result_and_ignores_glues_arguments(self) -> None:
        parsed = parse_job_arguments(["--JOB_NAME", "cur-mask", "--request", "r.json", "--result=out.json"])

        assert (parsed.request, parsed.result) == ("r.json", "out.json")

    def test_prints_and_writes_one_result_line(
        self, spark: SparkSession, key_service: StandInKeyService, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        request_file = tmp_path / "request.json"
        request = request_for(write_landing(tmp_path, UTF8_ROWS), tmp_path / "out", key_service)
        request_file.write_text(json.dumps(request, ensure_ascii=False), encoding="utf-8")

        code = main(["--request", str(request_file), "--result", str(tmp_path / "result.json")])

        (line,) = capsys.readouterr().out.splitlines()
        assert code == 0
        assert json.loads(line) == json.loads((tmp_path / "result.json").read_text(encoding="utf-8"))
        assert json.loads(line)["result"]["keyVersions"] == {"cust_id": 3, "name": 3, "address": 3}

    def test_prints_a_coded_failure_and_exits_1(
        self, spark: SparkSession, key_service: StandInKeyService, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        request_file = tmp_path / "request.json"
        request = request_for(write_landing(tmp_path, UTF8_ROWS), tmp_path / "out", key_service, rows=9)
        request_file.write_text(json.dumps(request, ensure_ascii=False), encoding="utf-8")

        code = main(["--request", str(request_file)])

        failure = json.loads(capsys.readouterr().out)
        assert code == 1
        assert failure["error"]["code"] == "MASK_ROW_COUNT_MISMATCH"


GLUE_PLANS = Path(__file__).resolve().parents[1] / "glue-plans"
"""The committed templates (libs/pipeline renders them: ``nx run pipeline:glue-plans``)."""


def land_batch(bucket: Path, dataset: str, rows: list[list[str]], *, date: str = "2026-11-25", **control: str) -> Path:
    """A landing bucket folder holding one UTF-8 batch and its control file, as ingestion leaves them."""
    columns = json.loads((GLUE_PLANS / "mask" / f"{dataset}.json").read_text(encoding="utf-8"))["columns"]
    folder = bucket / "incoming" / dataset
    folder.mkdir(parents=True, exist_ok=True)
    stem = f"{dataset}_{date.replace('-', '')}"
    lines = [",".join(columns), *(",".join(row) for row in rows)]
    (folder / f"{stem}.csv").write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")
    fields = {"dataset": dataset, "businessDate": date, "file": f"{stem}.csv", "rowCount": len(rows)}
    fields |= {"sha256": "0" * 64, "encoding": "utf-8", "schemaVersion": 1, **control}
    (folder / f"{stem}.ctl").write_text(json.dumps(fields), encoding="utf-8")
    return bucket


def dag_arguments(landing: Path, raw: Path, service: StandInKeyService, dataset: str = "customer_profile") -> list[str]:
    """What the DAG and the job's defaults pass: Glue's own names too, the date with a dash, the credential's name."""
    return [
        "--JOB_NAME", "cur-dev-mask", "--job-bookmark-option", "job-bookmark-disable",
        "--dataset", dataset, "--business-date", "2026-11-25",
        "--bucket_landing", str(landing), "--bucket_raw", str(raw), "--plan_templates", str(GLUE_PLANS),
        "--key_service_url", service.url, "--key-service-token-env", TOKEN_ENV,
    ]  # fmt: skip


class TestJobFromTheDagsArguments:
    def test_masks_the_batch_the_control_file_names_as_the_committed_template_says_into_the_raw_partition(
        self, spark: SparkSession, key_service: StandInKeyService, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        # Prepare: two rows of customer_profile, every field a distinct text
        template = json.loads((GLUE_PLANS / "mask" / "customer_profile.json").read_text(encoding="utf-8"))
        columns: list[str] = template["columns"]
        rows = [[f"{column}-{n}" for column in columns] for n in (1, 2)]
        landing = land_batch(tmp_path / "landing", "customer_profile", rows)

        # Act
        code = main(dag_arguments(landing, tmp_path / "raw", key_service))

        # Assess: the partition folder of the date; the template's columns tokenised, the others kept
        line = json.loads(capsys.readouterr().out)
        assert (code, line["status"]) == (0, "succeeded")
        partition = tmp_path / "raw" / "customer_profile" / "business_date=2026-11-25"
        assert Path(line["result"]["outputPath"].removeprefix("file:")).resolve() == partition.resolve()
        masked = {m["column"] for m in template["maskColumns"]}
        assert {"cust_id", "cust_name"} <= masked
        assert {call["column"] for call in key_service.calls} == masked
        read = spark.read.parquet(str(partition)).orderBy("source_row").collect()
        for row, values in zip(read, rows, strict=True):
            for column, value in zip(columns, values, strict=True):
                expected = stand_in_token("customer_profile", column, value) if column in masked else value
                assert (column, row[column]) == (column, expected)
        assert line["result"]["rowsOut"] == 2

    def test_publishes_the_raw_manifest_the_local_mask_step_publishes_with_bucket_system(
        self, spark: SparkSession, key_service: StandInKeyService, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        # Prepare
        template = json.loads((GLUE_PLANS / "mask" / "customer_profile.json").read_text(encoding="utf-8"))
        rows = [[f"{column}-{n}" for column in template["columns"]] for n in (1, 2, 3)]
        landing = land_batch(tmp_path / "landing", "customer_profile", rows)
        system = tmp_path / "system"
        extra = ["--bucket_system", str(system), "--JOB_RUN_ID", "jr_mask_1"]

        # Act
        code = main([*dag_arguments(landing, tmp_path / "raw", key_service), *extra])

        # Assess: libs/lake's document, valid against manifest.schema.json, with the local step's inputs and counts
        line = json.loads(capsys.readouterr().out)
        assert code == 0, line
        key = "manifests/raw/customer_profile/business_date=2026-11-25.json"
        assert line["manifest"] == key
        manifest = json.loads((system / key).read_text(encoding="utf-8"))
        schema = json.loads((Path(__file__).resolve().parents[1] / "manifest.schema.json").read_text(encoding="utf-8"))
        assert list(Draft202012Validator(schema).iter_errors(manifest)) == []
        assert {k: manifest[k] for k in ("dataset", "zone", "businessDate", "step", "runId", "rowCount")} == {
            "dataset": "customer_profile", "zone": "raw", "businessDate": "2026-11-25", "step": "mask",
            "runId": "jr_mask_1", "rowCount": 3,
        }  # fmt: skip
        assert manifest["inputs"] == [
            "incoming/customer_profile/customer_profile_20261125.ctl",
            "incoming/customer_profile/customer_profile_20261125.csv",
        ]
        assert manifest["counts"] == {"rowsIn": 3, "rowsOut": 3}
        assert manifest["keyVersions"] == line["result"]["keyVersions"] != {}
        assert manifest["schemaSha256"] == template["schemaSha256"]
        files = [tmp_path / "raw" / file for file in manifest["files"]]
        assert all(f.startswith("customer_profile/business_date=2026-11-25/part-") for f in manifest["files"])
        assert manifest["contentSha256"] == hashlib.sha256(b"".join(f.read_bytes() for f in files)).hexdigest()

    def test_takes_a_big5_gzip_batch_as_its_control_file_describes_it(self, tmp_path: Path) -> None:
        # Prepare
        template = MaskRequestTemplate.model_validate_json((GLUE_PLANS / "mask" / "card_transaction.json").read_text())
        control: dict[str, object] = {"dataset": "card_transaction", "businessDate": "2026-11-25"}
        control |= {"file": "card_transaction_20261125.csv.gz", "rowCount": 7, "encoding": "big5"}
        control |= {"sha256": "0" * 64, "schemaVersion": 1}

        # Act
        request = request_from_template(
            template, json.dumps(control), business_date=dt.date(2026, 11, 25), landing_bucket="s3://cur-dev-landing/",
            raw_bucket="s3://cur-dev-raw", tokenize={"url": "https://k.example/v1/tokenize", "auth": {"kind": "sigv4",
            "region": "ap-east-2", "service": "lambda"}},
        )  # fmt: skip

        # Assess
        landing = request.landing
        assert landing.path == "s3://cur-dev-landing/incoming/card_transaction/card_transaction_20261125.csv.gz"
        assert (landing.encoding, landing.compression, landing.row_count) == ("big5", "gzip", 7)
        assert request.output.path == "s3://cur-dev-raw/card_transaction/business_date=2026-11-25"
        assert request.mask_columns == template.mask_columns

    def test_refuses_a_missing_control_file_another_dates_and_missing_arguments_with_codes(
        self, spark: SparkSession, key_service: StandInKeyService, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        # Act / Assess: no batch landed
        assert main(dag_arguments(tmp_path / "empty", tmp_path / "raw", key_service)) == 1
        assert json.loads(capsys.readouterr().out)["error"]["code"] == "MASK_INPUT_MISSING"
        # A control file of the date whose content declares another date (named by the date, never by a value)
        landing = land_batch(tmp_path / "landing", "customer_profile", [], businessDate="2026-11-24")
        assert main(dag_arguments(landing, tmp_path / "raw", key_service)) == 1
        error = json.loads(capsys.readouterr().out)["error"]
        assert (error["code"], "2026-11-24" in error["message"]) == ("MASK_REQUEST_INVALID", True)
        # Neither --request nor the DAG's arguments
        assert main(["--dataset", "customer_profile"]) == 1
        error = json.loads(capsys.readouterr().out)["error"]
        assert error["code"] == "MASK_REQUEST_INVALID"
        assert "--business-date" in error["message"]
        assert not (tmp_path / "raw").exists()
        assert key_service.calls == []


def profile_rows(count: int) -> list[list[str]]:
    """``count`` rows of customer_profile, every field a distinct text."""
    columns = json.loads((GLUE_PLANS / "mask" / "customer_profile.json").read_text(encoding="utf-8"))["columns"]
    return [[f"{column}-{n}" for column in columns] for n in range(count)]


class TestJobEndsAsTheLocalStep:
    """With ``--ledger_table`` the job ends as ``publishMaskedBatch``: manifest, landing deleted, ledger MASKED."""

    LEDGER = ("--ledger_table", "cur-dev-batch-ledger")

    def test_publishes_the_manifest_then_deletes_landing_then_marks_the_batch_masked(
        self, key_service: StandInKeyService, aws: MotoAws, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        # Prepare: the batch landed and ACCEPTED in the ledger; another dataset's batch waits beside it
        land_batch(tmp_path / "landing", "customer_profile", profile_rows(3))
        land_batch(tmp_path / "landing", "account_balance", [])
        aws.create_ledger_table()
        aws.put_batch("customer_profile", "2026-11-25")
        aws.put_batch("account_balance", "2026-11-25")

        # Act
        code = main([*dag_arguments(tmp_path / "landing", tmp_path / "raw", key_service), *self.system(tmp_path)])

        # Assess
        line = json.loads(capsys.readouterr().out)
        assert (code, line.get("ledger")) == (0, "MASKED"), line
        assert (tmp_path / "system" / line["manifest"]).is_file()
        assert sorted(p.name for p in (tmp_path / "landing").rglob("*") if p.is_file()) == [
            "account_balance_20261125.csv", "account_balance_20261125.ctl",
        ]  # fmt: skip
        assert (aws.batch("customer_profile", "2026-11-25") or {})["status"] == "MASKED"
        assert (aws.batch("account_balance", "2026-11-25") or {})["status"] == "ACCEPTED"

    def test_a_rerun_after_a_crash_between_the_deletions_finishes_without_masking_again(
        self, key_service: StandInKeyService, aws: MotoAws, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        # Prepare: masked and published, then stopped after the data file's deletion (the control file left)
        land_batch(tmp_path / "landing", "customer_profile", profile_rows(3))
        aws.create_ledger_table()
        aws.put_batch("customer_profile", "2026-11-25")
        argv = dag_arguments(tmp_path / "landing", tmp_path / "raw", key_service)
        assert main([*argv, "--bucket_system", str(tmp_path / "system")]) == 0
        capsys.readouterr()
        (tmp_path / "landing/incoming/customer_profile/customer_profile_20261125.csv").unlink()
        calls = len(key_service.calls)

        # Act
        code = main([*argv, *self.system(tmp_path)])

        # Assess: the manifest's landing files gone, MASKED, no token asked for
        line = json.loads(capsys.readouterr().out)
        assert (code, line["finished"]["ledger"]) == (0, "MASKED"), line
        assert [p for p in (tmp_path / "landing").rglob("*") if p.is_file()] == []
        assert (aws.batch("customer_profile", "2026-11-25") or {})["status"] == "MASKED"
        assert len(key_service.calls) == calls

    def test_a_ledger_without_the_batch_fails_after_landing_is_gone_and_a_rerun_then_finishes(
        self, key_service: StandInKeyService, aws: MotoAws, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        # Prepare: the ledger's table exists, the batch's item does not (yet)
        land_batch(tmp_path / "landing", "customer_profile", profile_rows(3))
        aws.create_ledger_table()
        argv = [*dag_arguments(tmp_path / "landing", tmp_path / "raw", key_service), *self.system(tmp_path)]

        # Act / Assess: a coded failure, the plaintext already gone (never MASKED with it in landing)
        assert main(argv) == 1
        assert json.loads(capsys.readouterr().out)["error"]["code"] == "MASK_LEDGER_NOT_UPDATED"
        assert [p for p in (tmp_path / "landing").rglob("*") if p.is_file()] == []
        # Once the ledger holds the batch, a rerun finishes it; once more, it says MASKED and changes nothing
        aws.put_batch("customer_profile", "2026-11-25")
        for _ in range(2):
            assert main(argv) == 0
            assert json.loads(capsys.readouterr().out)["finished"]["ledger"] == "MASKED"
        assert (aws.batch("customer_profile", "2026-11-25") or {})["status"] == "MASKED"

    def test_refuses_a_ledger_table_without_the_system_bucket(self, key_service: StandInKeyService) -> None:
        argv = [*dag_arguments(Path("landing"), Path("raw"), key_service), *self.LEDGER]
        with pytest.raises(MaskError) as raised:
            parse_job_arguments(argv)
        assert raised.value.code == "MASK_REQUEST_INVALID"
        assert "--bucket-system" in str(raised.value)

    def system(self, tmp_path: Path) -> list[str]:
        return ["--bucket_system", str(tmp_path / "system"), *self.LEDGER]
