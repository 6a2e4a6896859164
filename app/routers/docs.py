"""`/docs` (Swagger UI) and `/redoc` from assets installed with the service, not from a CDN.

The service runs on government intranets: pages that load their scripts from the internet are
blank there. The assets ship in the `fastapi-offline` package; only its files are used.
"""

from __future__ import annotations

from pathlib import Path

import fastapi_offline
from fastapi import APIRouter, Request
from fastapi.openapi.docs import (
    get_redoc_html,
    get_swagger_ui_html,
    get_swagger_ui_oauth2_redirect_html,
)
from fastapi.responses import FileResponse, HTMLResponse

from app.errors import NotFound
from app.i18n import _

ASSETS_PATH = "/docs/assets"
OAUTH2_REDIRECT_PATH = "/docs/oauth2-redirect"
_ASSETS_DIR = Path(fastapi_offline.__file__).parent / "static"
#: The files the pages use, with their media types; nothing else in the package is served.
ASSETS = {
    "swagger-ui-bundle.js": "text/javascript; charset=utf-8",
    "swagger-ui.css": "text/css; charset=utf-8",
    "redoc.standalone.js": "text/javascript; charset=utf-8",
    "favicon.png": "image/png",
}
# The assets change only with the package: a day in the browser's cache spares reloading 2.8 MB.
_ASSET_CACHE = "public, max-age=86400"

router = APIRouter(include_in_schema=False)


def _asset_url(request: Request, name: str) -> str:
    return f"{request.scope.get('root_path', '')}{ASSETS_PATH}/{name}"


@router.get("/docs")
async def swagger_ui(request: Request) -> HTMLResponse:
    """Swagger UI; its Authorize button signs in with the password flow of /api/v1/auth/token."""
    app = request.app
    root = request.scope.get("root_path", "")
    return get_swagger_ui_html(
        openapi_url=f"{root}{app.openapi_url}",
        title=f"{app.title} - Swagger UI",
        swagger_js_url=_asset_url(request, "swagger-ui-bundle.js"),
        swagger_css_url=_asset_url(request, "swagger-ui.css"),
        swagger_favicon_url=_asset_url(request, "favicon.png"),
        oauth2_redirect_url=f"{root}{OAUTH2_REDIRECT_PATH}",
        init_oauth=app.swagger_ui_init_oauth,
        # No online validator badge: it would call an outside service with the spec's URL.
        swagger_ui_parameters={**(app.swagger_ui_parameters or {}), "validatorUrl": None},
    )


@router.get(OAUTH2_REDIRECT_PATH)
async def swagger_ui_oauth2_redirect() -> HTMLResponse:
    """Where the identity provider returns to Swagger UI after an OAuth2 sign-in."""
    return get_swagger_ui_oauth2_redirect_html()


@router.get("/redoc")
async def redoc(request: Request) -> HTMLResponse:
    """ReDoc, without the Google fonts it would otherwise load."""
    app = request.app
    root = request.scope.get("root_path", "")
    return get_redoc_html(
        openapi_url=f"{root}{app.openapi_url}",
        title=f"{app.title} - ReDoc",
        redoc_js_url=_asset_url(request, "redoc.standalone.js"),
        redoc_favicon_url=_asset_url(request, "favicon.png"),
        with_google_fonts=False,
    )


@router.get(ASSETS_PATH + "/{name}")
async def docs_asset(name: str) -> FileResponse:
    """One of the pages' scripts, style sheets or icon."""
    media_type = ASSETS.get(name)
    if media_type is None:
        raise NotFound(_("no such documentation asset"))
    return FileResponse(
        _ASSETS_DIR / name, media_type=media_type, headers={"Cache-Control": _ASSET_CACHE}
    )
