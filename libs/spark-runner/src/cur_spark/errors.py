"""Errors of the plan runner: one base class, one subclass per place a plan can fail.

Messages name the step, dataset, input, statement or output, and Spark's error class; never a field value. Spark's own
message is kept only for analysis and parse errors (they describe the plan's SQL: an unknown view, a column, a syntax
error); a runtime error's message can quote a row's value, so only its class is named. The Spark exception stays
attached as ``__cause__`` for whoever debugs the job with the data in front of them (SYSTEM, in the job's own logs).
"""

from __future__ import annotations

import contextlib
from typing import Any

from py4j.protocol import Py4JJavaError
from pyspark.errors import AnalysisException, PySparkException

SPARK_ERRORS: tuple[type[Exception], ...] = (PySparkException, Py4JJavaError)
"""What a Spark call raises: converted exceptions (analysis, parse, runtime) or a raw JVM error."""


class PlanError(Exception):
    """Base class of every error the runner raises."""


class PlanValidationError(PlanError):
    """The plan's JSON is not a valid plan (a bad ``kind``, a missing field, a duplicate name)."""


class PlanInputError(PlanError):
    """A named input could not be read, or its columns are not the ones the plan expects."""

    def __init__(self, message: str, *, input_name: str) -> None:
        super().__init__(message)
        self.input_name = input_name


class PlanStatementError(PlanError):
    """A statement failed: its SQL did not parse or analyse, or materialising it failed."""

    def __init__(self, message: str, *, index: int, statement: str, kind: str) -> None:
        super().__init__(message)
        self.index = index
        self.statement = statement
        self.kind = kind


class PlanOutputError(PlanError):
    """An output's SQL failed, or writing it failed."""

    def __init__(self, message: str, *, output: str, path: str) -> None:
        super().__init__(message)
        self.output = output
        self.path = path


class SparkEnvironmentError(PlanError):
    """A local Spark session cannot start here (no Java 17)."""


def describe_spark_error(error: BaseException) -> str:
    """A value-free description of a Spark failure: the first line of an analysis message, else the error's class.

    Example: ``[TABLE_OR_VIEW_NOT_FOUND] The table or view `nowhere` cannot be found. ...`` for an unknown view, but
    only ``org.apache.spark.SparkException caused by java.lang.RuntimeException`` for ``raise_error`` in a task,
    whose message would carry the row's value.
    """
    if isinstance(error, AnalysisException):  # parse errors are analysis errors too
        lines = str(error).strip().splitlines()
        return lines[0] if lines else (error.getErrorClass() or type(error).__name__)
    if isinstance(error, PySparkException):
        return error.getErrorClass() or type(error).__name__
    if isinstance(error, Py4JJavaError):
        return _java_error_class(error)
    return type(error).__name__


def _java_error_class(error: Py4JJavaError) -> str:
    """The JVM error's Spark error class if it has one, else its class names down the cause chain (never a message).

    Example: ``org.apache.spark.SparkException caused by java.lang.RuntimeException`` for a task that failed.
    """
    names: list[str] = []
    throwable = error.java_exception
    with contextlib.suppress(Exception):  # the gateway may be gone: name what was found so far
        while throwable is not None and len(names) < 4:
            error_class = _spark_error_class(throwable)
            if error_class:
                return error_class
            names.append(str(throwable.getClass().getName()))
            throwable = throwable.getCause()
    return " caused by ".join(names) or type(error).__name__


def _spark_error_class(throwable: Any) -> str | None:  # noqa: ANN401 - a py4j proxy of a java.lang.Throwable
    try:
        error_class = throwable.getErrorClass()  # only SparkThrowable has it
    except Exception:  # noqa: BLE001 - py4j raises for a method the Java object lacks
        return None
    return error_class if isinstance(error_class, str) and error_class else None


class MaskError(PlanError):
    """The mask job failed; ``code`` says why (``MASKING_INCOMPLETE``, ``KEY_SERVICE_FAILED``, ...).

    The landing file holds plaintext, so a mask error's message names the dataset, date, column, counts and positions
    only, and it is raised without the Spark or HTTP error attached: their messages can quote a row's value.
    """

    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"{message} [{code}]")
        self.code = code
