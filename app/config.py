"""Settings: one object, read from the environment (prefix `KEPU_`) and `.env`."""

from __future__ import annotations

from enum import StrEnum
from functools import lru_cache
from pathlib import Path

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_SECRET = "dev-insecure-secret-change-me"  # noqa: S105 - refused outside development
ROOT = Path(__file__).resolve().parent.parent


class Environment(StrEnum):
    """Where the service runs; `production` refuses insecure defaults."""

    DEVELOPMENT = "development"
    PRODUCTION = "production"


class Settings(BaseSettings):
    """Everything configurable; see the README's configuration table."""

    model_config = SettingsConfigDict(env_prefix="KEPU_", env_file=".env", extra="ignore")

    env: Environment = Environment.DEVELOPMENT
    database_url: str = f"sqlite:///{ROOT / 'var' / 'kepu.db'}"
    secret_key: str = DEFAULT_SECRET
    #: Comma-separated `id:base64-32-byte-key` pairs for personal data; the first encrypts.
    data_keys: str = ""
    #: Key of the keyed hash that matches personal data; never rotated with the data keys.
    index_key: str = ""
    jwt_issuer: str = "kepu-api"
    jwt_audience: str = "kepu-api"
    access_token_minutes: int = Field(default=15, ge=1, le=24 * 60)
    refresh_token_days: int = Field(default=14, ge=1, le=365)
    #: How long a rotated refresh token still gets its successor (a lost answer, a race).
    refresh_grace_seconds: int = Field(default=30, ge=0, le=300)
    cors_origins: list[str] = []
    login_max_failures: int = Field(default=5, ge=1)
    login_lockout_seconds: int = Field(default=300, ge=1)
    #: Failed logins of one username from all addresses together before it waits too.
    login_account_max_failures: int = Field(default=100, ge=1)
    #: Writes without a login (a complaint, a registration) one source address may send to one
    #: operation per window; then 429 with Retry-After, counted for all workers.
    public_write_limit: int = Field(default=10, ge=1)
    #: The same for logging in and renewing a login: an office behind one address logs in many.
    login_source_limit: int = Field(default=100, ge=1)
    public_write_window_seconds: int = Field(default=600, ge=1)
    #: Argon2id cost; lowered only by the test suite.
    argon2_time_cost: int = Field(default=3, ge=1)
    argon2_memory_kib: int = Field(default=65536, ge=64)
    max_body_bytes: int = Field(default=1_048_576, ge=1024)
    max_bulk_body_bytes: int = Field(default=64 * 1_048_576, ge=1024)
    max_upload_bytes: int = Field(default=10 * 1_048_576, ge=1024)
    storage_dir: Path = ROOT / "var" / "files"
    #: The column mappings of spreadsheet imports (docs/spreadsheets.md): the shipped file, or
    #: one of the same form where an app renamed a column of its export.
    import_mappings: Path = ROOT / "app" / "imports.toml"
    db_pool_size: int = Field(default=20, ge=1)
    #: Longest a request may take, waiting for its turn included; then 503 and nothing changed.
    request_timeout_seconds: float = Field(default=30, gt=0, le=3600)
    #: The same for bulk imports and uploads (`POST …:bulk`, `POST …/attachments`).
    bulk_request_timeout_seconds: float = Field(default=300, gt=0, le=3600)
    #: Bearer token Prometheus sends to read `/metrics`; empty keeps `/metrics` closed.
    metrics_token: str = ""
    admin_password: str | None = None
    #: The association that accredits science education bases, named in each announcement.
    association_name: str = "赤峰市科学技术协会"
    #: The title an accredited base bears (BASE-REVIEW-1), as its announcement states it.
    base_title: str = "赤峰市科普教育基地"
    #: The prefix of a base's plaque number: `<prefix>〔YEAR〕NNN`.
    plaque_prefix: str = "赤科协基地"
    #: Where people reach the service: the base of a certificate's `verify_url` and of the QR
    #: code printed on it (a phone opens it), e.g. `https://kepu.example.cn`.
    public_url: str = "http://127.0.0.1:8000"
    log_level: str = "INFO"
    #: The mail server notices are sent through (PLAT-NOTIFY-1); empty sends no email (the
    #: worker leaves email messages waiting).
    smtp_host: str = ""
    smtp_port: int = Field(default=25, ge=1, le=65535)
    smtp_starttls: bool = False
    smtp_username: str = ""
    smtp_password: str = ""
    smtp_from: str = "kepu@localhost"
    #: Messages one worker claims at a time, and how long its claim holds before another worker
    #: may take a message again (a worker that died mid-delivery).
    worker_batch: int = Field(default=50, ge=1, le=1000)
    worker_claim_seconds: int = Field(default=120, ge=5)
    #: Hosts a webhook may target, comma-separated (`hooks.example.cn,sms.example.cn`); none
    #: configured, no webhook can be made. Addresses that are not public (loopback, private
    #: ranges) are refused, at creation and at each delivery, unless allowed here.
    webhook_allowed_hosts: str = ""
    webhook_allow_private: bool = False
    webhook_timeout_seconds: float = Field(default=10, gt=0, le=60)
    #: Seconds the worker sleeps when nothing is due.
    worker_idle_seconds: float = Field(default=2.0, gt=0)
    #: Serve `/docs`, `/redoc` and `/openapi.json` to anyone; unset, they are open in
    #: development and closed in production (the committed spec is the clients' contract).
    public_docs: bool | None = None

    @model_validator(mode="after")
    def _refuse_insecure_production(self) -> Settings:
        if self.env is Environment.PRODUCTION:
            if (
                not self.secret_key
                or self.secret_key == DEFAULT_SECRET
                or len(self.secret_key) < 32
            ):
                raise ValueError("KEPU_SECRET_KEY must be set to 32+ characters in production")
            if not self.data_keys:
                raise ValueError("KEPU_DATA_KEYS must be set in production")
            if len(self.index_key) < 32:
                raise ValueError("KEPU_INDEX_KEY must be set to 32+ characters in production")
        return self

    @property
    def docs_served(self) -> bool:
        """Whether the interactive documentation and the spec are served."""
        if self.public_docs is not None:
            return self.public_docs
        return self.env is not Environment.PRODUCTION

    @property
    def is_sqlite(self) -> bool:
        """True when the database is the embedded SQLite file."""
        return self.database_url.startswith("sqlite")


@lru_cache
def get_settings() -> Settings:
    """The settings of this process, read once."""
    return Settings()
