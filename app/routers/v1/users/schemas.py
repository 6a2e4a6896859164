"""The API models of accounts and logins (never a password hash)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator
from pydantic.json_schema import SkipJsonSchema

from app.domain.access import Role
from app.routers.fields import Moment


class UserPublic(BaseModel):
    """An account as the API shows it: its role and the scope the role acts in."""

    id: str
    username: str
    display_name: str
    role: Role
    county_code: str | None
    organization_id: str | None
    base_id: str | None
    volunteer_id: str | None
    is_active: bool
    created_at: Moment
    updated_at: Moment


class UserCreate(BaseModel):
    """A new account; the scope field its role needs is required, the others refused."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "username": "hongshan.admin",
                    "password": "Chifeng-2026-kepu",
                    "role": "county_admin",
                    "display_name": "红山区科协 王丽",
                    "county_code": "150402",
                }
            ]
        },
    )

    username: str = Field(min_length=3, max_length=64, pattern=r"^[A-Za-z0-9_.@-]+$")
    password: str = Field(min_length=10, max_length=256)
    role: Role
    display_name: str = Field(default="", max_length=100)
    county_code: str | None = Field(
        default=None, pattern=r"^\d{6}$", description="A county-level region code"
    )
    organization_id: str | None = Field(default=None, max_length=26)
    base_id: str | None = Field(default=None, max_length=26)
    volunteer_id: str | None = Field(default=None, max_length=26)


def _update_schema(schema: dict[str, Any]) -> None:
    # A field left out keeps its value: no default stands in for it, and null is refused.
    for field in schema.get("properties", {}).values():
        field.pop("default", None)
    schema["examples"] = [{"display_name": "红山区科协 王丽", "is_active": False}]


class UserUpdate(BaseModel):
    """What an administrator may change; role and scope are fixed at creation. A field left out
    is unchanged; none may be null."""

    model_config = ConfigDict(extra="forbid", json_schema_extra=_update_schema)

    display_name: str | SkipJsonSchema[None] = Field(default=None, max_length=100)
    is_active: bool | SkipJsonSchema[None] = None
    password: str | SkipJsonSchema[None] = Field(default=None, min_length=10, max_length=256)

    @field_validator("display_name", "is_active", "password", mode="before")
    @classmethod
    def _not_null(cls, value: object) -> object:
        if value is None:
            raise ValueError("may not be null")
        return value


class MePublic(UserPublic):
    """The caller, with the organisation subtree an organisation administrator acts in."""

    org_path: str | None = None


class TokenPair(BaseModel):
    """An access token and the refresh token that renews it."""

    access_token: str
    token_type: str = "bearer"  # noqa: S105 - the OAuth2 token type, not a secret
    expires_in: int
    refresh_token: str


class TokenRefresh(BaseModel):
    """The refresh token to rotate."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"refresh_token": "p0Jc3Xb0bM6s2m8zW1vKq9T4rY7uE5aH"}]},
    )

    refresh_token: str = Field(max_length=512)
