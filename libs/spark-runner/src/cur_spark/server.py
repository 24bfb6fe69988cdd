"""One Spark session for a whole run: requests in, one JSON line each, answers out.

The pipeline (``cur run --engine spark``) starts ``python -m cur_spark.jobs.serve`` once, and sends each step's work
as one JSON line on stdin::

    {"id": "3", "kind": "plan", "plan": {...}}

and reads one JSON line on stdout per request, in order::

    {"id": "3", "ok": true, "result": {...}}
    {"id": "3", "ok": false, "error": {"code": "PLAN_EXECUTION_FAILED", "message": "statement 2 of 3 ..."}}

What a request does is looked up by its ``kind`` in a ``HandlerRegistry``: ``plan`` runs a plan (``run_plan``),
``mask`` masks a landing batch (``run_mask``); another kind plugs in with one ``registry.register("kind", handler)``
line. A handler gets the session and the
request (without ``id`` and ``kind``) and returns a pydantic model or JSON-ready mapping; it raises ``RequestError``
(or a ``PlanError``, mapped below) to answer with a coded error. Messages name steps, views, fields and error classes,
never a value: an unexpected exception is answered with its class name only.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import IO, Any

from pydantic import BaseModel
from pyspark.sql import SparkSession

from cur_spark.errors import (
    MaskError,
    PlanError,
    PlanInputError,
    PlanOutputError,
    PlanStatementError,
    PlanValidationError,
    SparkEnvironmentError,
)
from cur_spark.mask import run_mask
from cur_spark.runner import run_plan

LOGGER = logging.getLogger("cur_spark.server")

Handler = Callable[[SparkSession, Mapping[str, Any]], BaseModel | Mapping[str, Any]]
"""What serves one kind of request: the session and the request's own fields in, a JSON-ready result out."""

ERROR_CODES: Mapping[str, str] = {
    "REQUEST_INVALID": "SPARK_REQUEST_INVALID",
    "KIND_UNKNOWN": "SPARK_REQUEST_KIND_UNKNOWN",
    "UNAVAILABLE": "SPARK_UNAVAILABLE",
    "INTERNAL": "SPARK_INTERNAL_ERROR",
}
"""The server's own error codes (a plan's failures use the plan executor's ``PLAN_*`` codes, as on DuckDB)."""


class RequestError(Exception):
    """A request answered with a coded error; the message names what failed, never a value."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


def plan_error_code(error: PlanError) -> str:
    """The code of a failure: a mask job's own, or for a plan the one the DuckDB executor uses for the same failure."""
    if isinstance(error, MaskError):
        return error.code
    if isinstance(error, PlanValidationError):
        return "PLAN_INVALID"
    if isinstance(error, PlanInputError):
        return "PLAN_INPUT_FAILED"
    if isinstance(error, PlanStatementError | PlanOutputError):
        return "PLAN_EXECUTION_FAILED"
    if isinstance(error, SparkEnvironmentError):
        return ERROR_CODES["UNAVAILABLE"]
    return "PLAN_EXECUTION_FAILED"


def handle_plan(spark: SparkSession, request: Mapping[str, Any]) -> BaseModel:
    """``{"kind": "plan", "plan": {...}}``: runs the plan (validated by ``run_plan``), answers its ``PlanResult``."""
    plan = request.get("plan")
    if not isinstance(plan, Mapping):
        raise RequestError(ERROR_CODES["REQUEST_INVALID"], "a plan request needs a 'plan' object")
    return run_plan(spark, plan)


def handle_mask(spark: SparkSession, request: Mapping[str, Any]) -> BaseModel:
    """``{"kind": "mask", "request": {...}}``: masks one landing batch (``run_mask``), answers its ``MaskResult``.

    The tokenize credential is read from this process's environment, which the pipeline sets when it starts it.
    """
    mask = request.get("request")
    if not isinstance(mask, Mapping):
        raise RequestError(ERROR_CODES["REQUEST_INVALID"], "a mask request needs a 'request' object")
    return run_mask(spark, dict(mask))


@dataclass
class HandlerRegistry:
    """The request kinds a server answers, each with its handler."""

    handlers: dict[str, Handler] = field(default_factory=dict)

    def register(self, kind: str, handler: Handler) -> HandlerRegistry:
        """Adds a kind (``plan``, ``mask``...); a kind registered twice is a programming error."""
        if kind in self.handlers:
            raise ValueError(f"request kind {kind} is registered twice")
        self.handlers[kind] = handler
        return self

    def kinds(self) -> list[str]:
        """The registered kinds, sorted."""
        return sorted(self.handlers)


def default_registry() -> HandlerRegistry:
    """The kinds the pipeline sends: ``plan`` (transform, consumption, mart) and ``mask`` (landing to raw)."""
    return HandlerRegistry().register("plan", handle_plan).register("mask", handle_mask)


SessionFactory = Callable[[], SparkSession]


class Server:
    """Answers requests one at a time in one Spark session, built once on first use (a JVM takes seconds)."""

    def __init__(self, registry: HandlerRegistry, session: SessionFactory) -> None:
        self._registry = registry
        self._session_factory = session
        self._session: SparkSession | None = None
        self._session_error: RequestError | None = None

    def session(self) -> SparkSession:
        """The run's one session; if it could not be built, every request is answered with why (coded)."""
        if self._session is not None:
            return self._session
        if self._session_error is not None:
            raise self._session_error
        started = time.perf_counter()
        try:
            self._session = self._session_factory()
        except SparkEnvironmentError as error:
            self._session_error = RequestError(ERROR_CODES["UNAVAILABLE"], str(error))
            raise self._session_error from error
        LOGGER.info("session started in %d ms", (time.perf_counter() - started) * 1000)
        return self._session

    def answer(self, line: str) -> dict[str, Any]:
        """The response to one request line, never raising: a failure is an ``ok: false`` answer."""
        started = time.perf_counter()
        request_id: str | int | None = None
        kind = "?"
        try:
            request = _parse_request(line)
            request_id, kind = request["id"], request["kind"]
            handler = self._handler(kind)
            body = {key: value for key, value in request.items() if key not in ("id", "kind")}
            result = handler(self.session(), body)
            payload = result.model_dump(mode="json", by_alias=True) if isinstance(result, BaseModel) else dict(result)
            response: dict[str, Any] = {"id": request_id, "ok": True, "result": payload}
        except RequestError as error:
            response = _failure(request_id, error.code, str(error))
        except PlanError as error:
            response = _failure(request_id, plan_error_code(error), str(error))
        except Exception as error:  # noqa: BLE001 - any other failure is answered, by class only (it may quote data)
            response = _failure(request_id, ERROR_CODES["INTERNAL"], f"{kind} request failed: {type(error).__name__}")
        outcome = "ok" if response["ok"] else response["error"]["code"]
        LOGGER.info(
            "request %s kind %s: %s in %d ms", request_id, kind, outcome, (time.perf_counter() - started) * 1000
        )
        return response

    def _handler(self, kind: str) -> Handler:
        handler = self._registry.handlers.get(kind)
        if handler is None:
            raise RequestError(
                ERROR_CODES["KIND_UNKNOWN"],
                f"unknown request kind {kind}; this server answers {', '.join(self._registry.kinds())}",
            )
        return handler

    def serve(self, requests: Iterable[str], responses: IO[str]) -> int:
        """Answers each request line in order, one JSON line each, flushed; returns how many were answered."""
        answered = 0
        for line in requests:
            if not line.strip():
                continue
            responses.write(json.dumps(self.answer(line), ensure_ascii=False) + "\n")
            responses.flush()
            answered += 1
        return answered

    def close(self) -> None:
        """Stops the session if one was built."""
        if self._session is not None:
            self._session.stop()
            self._session = None


def _parse_request(line: str) -> dict[str, Any]:
    try:
        request = json.loads(line)
    except json.JSONDecodeError as error:
        # Position only: the line may hold anything.
        raise RequestError(
            ERROR_CODES["REQUEST_INVALID"], f"a request line is not JSON (column {error.colno})"
        ) from None
    if not isinstance(request, dict):
        raise RequestError(ERROR_CODES["REQUEST_INVALID"], "a request must be a JSON object")
    request_id = request.get("id")
    if not isinstance(request_id, str | int) or isinstance(request_id, bool):
        raise RequestError(ERROR_CODES["REQUEST_INVALID"], "a request needs an 'id' (a string or an integer)")
    if not isinstance(request.get("kind"), str):
        raise RequestError(ERROR_CODES["REQUEST_INVALID"], f"request {request_id} needs a 'kind' (a string)")
    return request


def _failure(request_id: str | int | None, code: str, message: str) -> dict[str, Any]:
    return {"id": request_id, "ok": False, "error": {"code": code, "message": message}}
