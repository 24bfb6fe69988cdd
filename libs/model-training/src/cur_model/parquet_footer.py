"""A Parquet file's row count from its footer, without pyarrow.

``cur_model.publish`` runs where the MWAA DAG runs (the score task's ``post_execute``), whose environment has boto3 but
not pyarrow: MWAA installs its own Airflow's constraints, and a pyarrow pin of ours could clash with them. The count
it needs is one field of the footer: a Parquet file ends with its ``FileMetaData`` (Thrift compact protocol), the
footer's length (4 bytes, little-endian) and ``PAR1``; ``FileMetaData``'s field 3 is ``num_rows`` (i64). This reads
that field and skips the others (field 2, the schema, comes before it), whatever they hold. An encrypted footer
(``PARE``) is refused.
"""

from __future__ import annotations

MAGIC = b"PAR1"
_NUM_ROWS_FIELD = 3

# Thrift compact protocol types.
_STOP, _TRUE, _FALSE, _BYTE, _I16, _I32, _I64, _DOUBLE, _BINARY, _LIST, _SET, _MAP, _STRUCT, _UUID = range(14)
_I64_TYPE = _I64


class ParquetFooterError(ValueError):
    """The bytes are not a Parquet file with a plain footer holding its row count."""


def parquet_row_count(data: bytes) -> int:
    """The rows of a whole Parquet file (its ``FileMetaData.num_rows``).

    :raises ParquetFooterError: not a Parquet file, an encrypted or truncated footer, or no row count in it
    """
    if len(data) < 12 or data[:4] != MAGIC or data[-4:] != MAGIC:
        raise ParquetFooterError("not a Parquet file (no PAR1 at both ends)")
    length = int.from_bytes(data[-8:-4], "little")
    start = len(data) - 8 - length
    if length <= 0 or start < 4:
        raise ParquetFooterError("the footer's length does not fit the file")
    reader = _CompactReader(data[start : len(data) - 8])
    return reader.struct_i64_field(_NUM_ROWS_FIELD)


class _CompactReader:
    """Just enough of Thrift's compact protocol to find one i64 field of a struct and skip everything else."""

    def __init__(self, data: bytes) -> None:
        self._data = data
        self._at = 0

    def struct_i64_field(self, wanted: int) -> int:
        field = 0
        while True:
            kind, field = self._field_header(field)
            if kind == _STOP:
                raise ParquetFooterError(f"the footer has no field {wanted}")
            if field == wanted:
                if kind != _I64_TYPE:
                    raise ParquetFooterError(f"the footer's field {wanted} is not an i64")
                return self._zigzag(self._varint())
            self._skip(kind)

    def _byte(self) -> int:
        if self._at >= len(self._data):
            raise ParquetFooterError("the footer is truncated")
        value = self._data[self._at]
        self._at += 1
        return value

    def _varint(self) -> int:
        value, shift = 0, 0
        while True:
            byte = self._byte()
            value |= (byte & 0x7F) << shift
            if byte < 0x80:
                return value
            shift += 7
            if shift > 70:
                raise ParquetFooterError("a varint in the footer is too long")

    @staticmethod
    def _zigzag(value: int) -> int:
        return (value >> 1) ^ -(value & 1)

    def _advance(self, count: int) -> None:
        if count < 0 or self._at + count > len(self._data):
            raise ParquetFooterError("the footer is truncated")
        self._at += count

    def _field_header(self, previous: int) -> tuple[int, int]:
        header = self._byte()
        kind = header & 0x0F
        if kind == _STOP:
            return _STOP, previous
        delta = header >> 4
        field = previous + delta if delta else self._zigzag(self._varint())
        return kind, field

    def _skip(self, kind: int) -> None:
        if kind in (_TRUE, _FALSE):
            return  # a struct field's boolean is its type
        self._skip_value(kind)

    def _skip_value(self, kind: int) -> None:
        if kind in (_TRUE, _FALSE, _BYTE):
            self._advance(1)
        elif kind in (_I16, _I32, _I64):
            self._varint()
        elif kind == _DOUBLE:
            self._advance(8)
        elif kind == _UUID:
            self._advance(16)
        elif kind == _BINARY:
            self._advance(self._varint())
        elif kind in (_LIST, _SET):
            header = self._byte()
            size = header >> 4
            if size == 15:
                size = self._varint()
            for _ in range(size):
                self._skip_value(header & 0x0F)  # a list's booleans are one byte each
        elif kind == _MAP:
            size = self._varint()
            if size:
                types = self._byte()
                for _ in range(size):
                    self._skip_value(types >> 4)
                    self._skip_value(types & 0x0F)
        elif kind == _STRUCT:
            field = 0
            while True:
                inner, field = self._field_header(field)
                if inner == _STOP:
                    return
                self._skip(inner)
        else:
            raise ParquetFooterError(f"the footer holds an unknown Thrift type {kind}")
