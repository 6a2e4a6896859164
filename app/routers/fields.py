"""The base of request bodies whose fields may each be left out (a PATCH, a draft): a field left
out is unchanged, and null is a value only where it clears something, so the schema declares
null exactly where the server takes it."""

from __future__ import annotations

from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, GetJsonSchemaHandler, ValidationInfo, field_validator
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import PydanticCustomError, core_schema

from app.domain.messages import N_

_NULL = {"type": "null"}


class Partial(BaseModel):
    """Optional fields, refused as null unless named in `clearable` (null clears those)."""

    model_config = ConfigDict(extra="forbid")

    #: The fields a null clears; every other field takes a value or is left out.
    clearable: ClassVar[frozenset[str]] = frozenset()

    @field_validator("*", mode="before")
    @classmethod
    def _null_only_where_clearable(cls, value: object, info: ValidationInfo) -> object:
        if value is None and info.field_name not in cls.clearable:
            raise PydanticCustomError("null", N_("may not be null; leave the field out to keep it"))
        return value

    @classmethod
    def __get_pydantic_json_schema__(
        cls, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        """The model's schema with null and the null default only on the clearable fields."""
        json_schema = handler(schema)
        target = handler.resolve_ref_schema(json_schema)
        for name, prop in target.get("properties", {}).items():
            if name not in cls.clearable:
                _drop_null(prop)
        return json_schema


def _drop_null(prop: dict[str, Any]) -> None:
    branches = prop.get("anyOf")
    if branches and _NULL in branches:
        rest = [b for b in branches if b != _NULL]
        del prop["anyOf"]
        if len(rest) == 1:
            prop.update(rest[0])
        else:
            prop["anyOf"] = rest
    if "default" in prop and prop["default"] is None:
        del prop["default"]
