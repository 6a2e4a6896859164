"""The ASGI application: `uvicorn app.main:app`."""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import anyio.to_thread
from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.routing import APIRoute
from prometheus_client import CollectorRegistry
from sqlalchemy.exc import IntegrityError

from app import openapi
from app.config import Environment, Settings, get_settings
from app.context import AppContext
from app.db import READ_ONLY, make_engine, make_session_factory
from app.domain.messages import N_
from app.errors import install_error_handlers, problem_response
from app.i18n import _
from app.logging import configure_logging
from app.middleware import BodyLimit, Compression, ConditionalReads, RequestContext
from app.routers import docs, health, verify
from app.routers.v1 import api_router
from app.security import personal
from app.security.passwords import Passwords
from app.security.tokens import Tokens
from app.storage import LocalFileStore

DESCRIPTION = """
REST API of the Chifeng science and technology association: science education bases (科普教育基地),
tech volunteer service (科技志愿服务) and science popularisation information officers (科普信息员).
Conventions (errors, pages, ETags, idempotency, the change feed): docs/api.md.
"""


def _operation_id(route: APIRoute) -> str:
    # Stable ids for generated clients: the endpoint function's name, unique across the app.
    return route.name


def create_app(settings: Settings | None = None, *, schema: str | None = None) -> FastAPI:
    """Build the app for the given settings (the environment's by default)."""
    settings = settings or get_settings()
    configure_logging(settings.log_level)
    personal.configure(personal.KeyRing.from_settings(settings))
    engine = make_engine(
        settings, schema=schema, statement_timeout=settings.request_timeout_seconds
    )
    ctx = AppContext(
        settings=settings,
        engine=engine,
        sessions=make_session_factory(engine),
        read_sessions=make_session_factory(engine.execution_options(**{READ_ONLY: True})),
        tokens=Tokens(settings),
        passwords=Passwords(settings),
        files=LocalFileStore(settings.storage_dir),
    )

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        # Never more threads waiting for a connection than the pool can serve.
        anyio.to_thread.current_default_thread_limiter().total_tokens = settings.db_pool_size + 10
        # Writers queue here, not in threads (app.routers.route._admitted); SQLite has one writer.
        _app.state.write_slots = anyio.Semaphore(1 if settings.is_sqlite else settings.db_pool_size)
        # Requests inside the unit of work, each holding a connection (app.routers.route._admitted).
        _app.state.db_slots = anyio.Semaphore(settings.db_pool_size)
        # The spec is built before the first request, not by the first GET /openapi.json.
        _app.openapi()
        yield
        engine.dispose()

    app = FastAPI(
        title="kepu-api",
        version="1.0.0",
        description=DESCRIPTION,
        lifespan=lifespan,
        generate_unique_id_function=_operation_id,
        openapi_url="/openapi.json" if settings.docs_served else None,
        docs_url=None,
        redoc_url=None,
        # FastAPI's own OpenTelemetry looks for configured providers on every request (a tenth
        # of a small request's time); this service reports through /metrics and its JSON logs.
        telemetry={"tracing": False, "metrics": False, "logs": False},
    )
    app.state.ctx = ctx
    app.state.metrics = CollectorRegistry()
    install_error_handlers(app)

    @app.exception_handler(IntegrityError)
    async def _integrity(request, exc):  # type: ignore[no-untyped-def]
        return problem_response(
            request,
            409,
            N_("Conflict"),
            slug="conflict",
            detail=_("conflicts with existing data"),
        )

    app.include_router(health.router)
    if settings.docs_served:
        app.include_router(docs.router)
    app.include_router(api_router)
    app.include_router(verify.router)
    openapi.install(app)
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "POST", "PUT", "PATCH", "DELETE"],
            allow_headers=[
                "Authorization",
                "Content-Type",
                "If-Match",
                "If-None-Match",
                "Idempotency-Key",
                "X-Request-ID",
            ],
            expose_headers=[
                "ETag",
                "Location",
                "X-Request-ID",
                "Retry-After",
                "Idempotent-Replayed",
            ],
        )
    app.add_middleware(
        BodyLimit, default=settings.max_body_bytes, bulk=settings.max_bulk_body_bytes
    )
    app.add_middleware(ConditionalReads)
    app.add_middleware(Compression)
    app.add_middleware(
        RequestContext,
        registry=app.state.metrics,
        production=settings.env is Environment.PRODUCTION,
    )
    return app


def __getattr__(name: str) -> FastAPI:
    # `app.main:app` is built on first access, so importing this module reads no environment.
    if name == "app":
        built = create_app()
        globals()["app"] = built
        # The ~300,000 objects of the app's modules, routes and models live as long as the
        # process: kept out of the collector's full passes, which otherwise cost ~180 ms each
        # and came every few large requests (the compliance dashboard: p50 50 ms, every fourth
        # request 230 ms). Only the served app: apps built by tests are left collectable.
        gc.collect()
        gc.freeze()
        return built
    raise AttributeError(name)
