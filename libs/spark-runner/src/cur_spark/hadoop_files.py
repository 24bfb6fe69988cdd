"""Small-file access through Spark's Hadoop file systems (EMRFS for ``s3://`` in Glue, the local one on a laptop).

The Glue jobs read and publish manifests and hash their outputs' bytes with the job's own credentials, without the
AWS SDK: the same calls run against a folder locally and against S3 in Glue. Hashing happens in the JVM
(``DigestInputStream``), so a file's bytes never cross into Python.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pyspark.sql import SparkSession

from cur_spark.errors import SPARK_ERRORS, PlanError, describe_spark_error


class HadoopFileError(PlanError):
    """A file or folder could not be listed, read or written; ``code`` says which (``FILE_NOT_READ``,
    ``FILE_NOT_WRITTEN``)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"{message} [{code}]")
        self.code = code


class HadoopFiles:
    """Lists, reads, writes and hashes files at URIs or local paths through the session's Hadoop configuration."""

    def __init__(self, spark: SparkSession) -> None:
        context = spark.sparkContext
        # py4j's gateway to Hadoop's FileSystem: pyspark has no public API for files outside a DataFrame.
        jvm = context._jvm
        if jvm is None:
            raise HadoopFileError("FILE_NOT_READ", "the Spark session has no JVM gateway")
        self._jvm: Any = jvm
        self._configuration = context._jsc.hadoopConfiguration()

    def _path_and_fs(self, location: str) -> tuple[Any, Any]:
        path = self._jvm.org.apache.hadoop.fs.Path(location)
        return path, path.getFileSystem(self._configuration)

    def list_files(self, location: str) -> list[str]:
        """The names of the files directly under a folder; none when it does not exist."""
        try:
            path, fs = self._path_and_fs(location)
            if not fs.exists(path):
                return []
            return sorted(str(status.getPath().getName()) for status in fs.listStatus(path) if status.isFile())
        except SPARK_ERRORS as error:
            message = f"{location} cannot be listed: {describe_spark_error(error)}"
            raise HadoopFileError("FILE_NOT_READ", message) from None

    def read_text(self, location: str) -> str | None:
        """A small file's UTF-8 text, or None when there is no such file."""
        try:
            path, fs = self._path_and_fs(location)
            if not fs.exists(path):
                return None
            stream = fs.open(path)
            try:
                data: bytes = self._jvm.org.apache.commons.io.IOUtils.toByteArray(stream)
            finally:
                stream.close()
        except SPARK_ERRORS as error:
            message = f"{location} cannot be read: {describe_spark_error(error)}"
            raise HadoopFileError("FILE_NOT_READ", message) from None
        return bytes(data).decode("utf-8")

    def write_text(self, location: str, text: str) -> None:
        """Writes (or replaces) a small file; on S3 the object appears whole when the stream closes."""
        try:
            path, fs = self._path_and_fs(location)
            stream = fs.create(path, True)
            try:
                stream.write(bytearray(text.encode("utf-8")))
            finally:
                stream.close()
        except SPARK_ERRORS as error:
            message = f"{location} cannot be written: {describe_spark_error(error)}"
            raise HadoopFileError("FILE_NOT_WRITTEN", message) from None

    def sha256(self, locations: Sequence[str]) -> str:
        """SHA-256 (hex) of the files' bytes read one after the other, in the order given (a manifest's
        ``contentSha256``)."""
        digest = self._jvm.java.security.MessageDigest.getInstance("SHA-256")
        for location in locations:
            try:
                path, fs = self._path_and_fs(location)
                stream = self._jvm.java.security.DigestInputStream(fs.open(path), digest)
                try:
                    self._jvm.org.apache.commons.io.IOUtils.consume(stream)
                finally:
                    stream.close()
            except SPARK_ERRORS as error:
                message = f"{location} cannot be read: {describe_spark_error(error)}"
                raise HadoopFileError("FILE_NOT_READ", message) from None
        return bytes(digest.digest()).hex()
