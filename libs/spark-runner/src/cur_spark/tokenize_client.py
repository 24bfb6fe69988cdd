"""A small client of the masking-key-service's ``POST /v1/tokenize``: one column's values in, their tokens out.

Standard library only (urllib), a timeout on every call, retries with backoff only for what is transient (429,
502, 503, 504, a refused or dropped connection, a timeout). Errors name the HTTP status and the service's problem
code, never a value: the request carries plaintext, and neither its body nor the response's is ever put in a message.
"""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict, ValidationError

from cur_spark.errors import MaskError
from cur_spark.mask_request import TokenizeEndpoint, TokenizeTarget

TRANSIENT_STATUSES = frozenset({429, 500, 502, 503, 504})
"""Statuses retried: throttling and a failing or unavailable service. Any other refusal is final."""

DEFAULT_ATTEMPTS = 4
DEFAULT_BACKOFF_SECONDS = 0.5


class _TokenizeResponse(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)

    tokens: list[str | None]
    keyVersion: int | None = None  # noqa: N815 - the API's field name


Signer = Callable[[str, bytes], dict[str, str]]
"""Headers that authenticate one POST of ``body`` to ``url`` (called per attempt: a signature carries its time)."""


def bearer_signer(token: str) -> Signer:
    """A bearer credential (locally: the loopback key service's per-run credential)."""
    return lambda _url, _body: {"authorization": f"Bearer {token}"}


def sigv4_signer(region: str, service: str) -> Signer:
    """AWS Signature Version 4 as the job's IAM role (botocore's credential chain: Glue's job role, the environment).

    botocore ships with Glue (boto3); it is imported only here, so a bearer-only job needs nothing but the standard
    library. Raises ``MaskError`` ``MASK_CREDENTIAL_MISSING`` when no AWS credentials are found.
    """
    try:
        from botocore.auth import SigV4Auth  # only a SigV4 job needs botocore
        from botocore.awsrequest import AWSRequest
        from botocore.session import Session
    except ImportError:
        raise MaskError("MASK_CREDENTIAL_MISSING", "signing with SigV4 needs botocore (Glue ships it)") from None
    credentials = Session().get_credentials()
    if credentials is None:
        raise MaskError(
            "MASK_CREDENTIAL_MISSING", "no AWS credentials for SigV4: the job's role, or AWS_ACCESS_KEY_ID and friends"
        )

    def sign(url: str, body: bytes) -> dict[str, str]:
        request = AWSRequest(method="POST", url=url, data=body, headers={"content-type": "application/json"})
        SigV4Auth(credentials.get_frozen_credentials(), service, region).add_auth(request)
        return {name.lower(): str(value) for name, value in request.headers.items()}

    return sign


@dataclass(frozen=True)
class TokenizeAnswer:
    """The tokens of one call, position by position, and the key version they were made with (None: keyless)."""

    tokens: list[str | None]
    key_version: int | None


class TokenizeClient:
    """Calls ``POST /v1/tokenize``, each attempt authenticated by ``signer``.

    Example::

        client = TokenizeClient(request.tokenize, bearer_signer(os.environ["CUR_KEY_SERVICE_TOKEN"]))
        answer = client.tokenize(TokenizeTarget(dataset="customer_profile", column="cust_id"), ["A123456789"])
    """

    def __init__(
        self,
        endpoint: TokenizeEndpoint,
        signer: Signer,
        *,
        attempts: int = DEFAULT_ATTEMPTS,
        backoff_seconds: float = DEFAULT_BACKOFF_SECONDS,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._endpoint = endpoint
        self._signer = signer
        self._attempts = max(1, attempts)
        self._backoff = backoff_seconds
        self._sleep = sleep
        self.calls = 0
        """HTTP requests made, retries included."""

    def tokenize(self, target: TokenizeTarget, values: Sequence[str | None]) -> TokenizeAnswer:
        """The tokens of ``values`` (1 to the endpoint's ``batchValues``) as ``target`` stores them.

        Raises ``MaskError`` ``KEY_SERVICE_REFUSED`` (a 4xx other than 429: not retried), ``KEY_SERVICE_FAILED``
        (transient failures that outlasted the retries) or ``KEY_SERVICE_BAD_RESPONSE`` (not the API's answer).
        """
        if not values or len(values) > self._endpoint.batch_values:
            raise MaskError(
                "KEY_SERVICE_BATCH_SIZE",
                f"a tokenize call carries 1 to {self._endpoint.batch_values} values; this one has {len(values)}",
            )
        where = f"tokenize {target.dataset}.{target.column} ({len(values)} values)"
        body = json.dumps({"dataset": target.dataset, "column": target.column, "values": list(values)}).encode()
        last = ""
        for attempt in range(1, self._attempts + 1):
            if attempt > 1:
                self._sleep(self._backoff * 2 ** (attempt - 2))
            self.calls += 1
            try:
                status, payload = self._post(body)
            except (urllib.error.URLError, TimeoutError, ConnectionError) as error:
                last = (
                    f"no answer ({type(error.reason if isinstance(error, urllib.error.URLError) else error).__name__})"
                )
                continue
            if status == 200:
                return _answer(where, payload, len(values))
            code = _problem_code(payload)
            if status not in TRANSIENT_STATUSES:
                raise MaskError("KEY_SERVICE_REFUSED", f"{where}: the key service answered {status} {code}")
            last = f"{status} {code}"
        raise MaskError("KEY_SERVICE_FAILED", f"{where}: still failing after {self._attempts} attempt(s): {last}")

    def _post(self, body: bytes) -> tuple[int, bytes]:
        request = urllib.request.Request(  # noqa: S310 - the URL's scheme is checked (http or https) by the request model
            self._endpoint.url,
            data=body,
            method="POST",
            headers={"content-type": "application/json", **self._signer(self._endpoint.url, body)},
        )
        try:
            with urllib.request.urlopen(request, timeout=self._endpoint.timeout_seconds) as response:  # noqa: S310
                return int(response.status), response.read()
        except urllib.error.HTTPError as error:
            with error:
                return int(error.code), error.read()


def _answer(where: str, payload: bytes, expected: int) -> TokenizeAnswer:
    try:
        parsed = _TokenizeResponse.model_validate_json(payload)
    except ValidationError:
        raise MaskError("KEY_SERVICE_BAD_RESPONSE", f"{where}: the answer is not the tokenize API's") from None
    if len(parsed.tokens) != expected:
        raise MaskError(
            "KEY_SERVICE_BAD_RESPONSE", f"{where}: {len(parsed.tokens)} tokens came back for {expected} values"
        )
    return TokenizeAnswer(tokens=parsed.tokens, key_version=parsed.keyVersion)


def _problem_code(payload: bytes) -> str:
    """The problem+json ``code`` (an upper-case word), or ``(no problem code)``; the ``detail`` is never read."""
    try:
        code = json.loads(payload).get("code")
    except (ValueError, AttributeError):
        return "(no problem code)"
    return code if isinstance(code, str) and code.replace("_", "").isalnum() and code.isupper() else "(no problem code)"
