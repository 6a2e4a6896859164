"""The API models of accounts and logins (never a password hash)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, StrictBool

from app.domain.access import Role
from app.domain.common import Moment
from app.routers.fields import Partial


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


class UserUpdate(Partial):
    """What an administrator may change; role and scope are fixed at creation."""

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"display_name": "红山区科协 王丽", "is_active": False}]}
    )

    display_name: str | None = Field(default=None, max_length=100)
    is_active: StrictBool | None = None
    password: str | None = Field(default=None, min_length=10, max_length=256)


class MePublic(UserPublic):
    """The caller, with the organisation subtree an organisation administrator acts in."""

    org_path: str | None = None


class LoginForm(BaseModel):
    """The OAuth2 password grant (RFC 6749 §4.3), form-encoded; a form has no null, so no field
    takes one, and a blank username or password is refused by the schema itself."""

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"username": "hongshan-admin", "password": "••••••••••"}]}
    )

    username: str = Field(min_length=1)
    password: str = Field(min_length=1, max_length=256, json_schema_extra={"format": "password"})
    grant_type: str = Field(default="password", pattern="^password$")
    scope: str = Field(default="", max_length=1000)
    client_id: str = Field(default="", max_length=200)
    client_secret: str = Field(default="", max_length=200, json_schema_extra={"format": "password"})


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
