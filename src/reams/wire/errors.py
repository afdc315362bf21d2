"""The one error body every 4xx of the API answers: ``{"detail": ...}``.

``detail`` is a sentence for errors reams raises itself (an unknown id, a conflict, a field it
cannot accept, a missing key) and a list of issues when FastAPI's request validation refused
the request (a query parameter of the wrong type, a body that does not match its model). A 422
can be either: clients must accept both shapes.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class ValidationIssue(BaseModel):
    """One finding of request validation (FastAPI's ``ValidationError`` item)."""

    model_config = ConfigDict(extra="allow")

    loc: list[str | int] = Field(
        description="Where: `body`, `query`, `path` or `header`, then the field path."
    )
    msg: str = Field(description="What is wrong, in words.")
    type: str = Field(description="A stable error type, e.g. `missing`, `int_parsing`.")
    input: Any = Field(default=None, description="The value that was refused.")
    ctx: dict[str, Any] | None = Field(default=None, description="Details of the rule.")


class ErrorBody(BaseModel):
    """Every 4xx (and the 500) answer's body."""

    detail: str | list[ValidationIssue] = Field(
        description="A sentence naming the problem; or, when request validation refused the "
        "request, one issue per invalid field."
    )
