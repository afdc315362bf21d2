"""The operator dashboard: `/` serves one HTML page; its ES modules and stylesheet are served
from `/dashboard-assets`, files shipped inside the package (`reams/api/dashboard/`).

No build step and no CDN: the page works offline. It talks to the same public API as any
client (the v1 batch family, directories, the v2 result views), with the API key from the
login form in the `Authorization` header, so it needs no route or permission of its own.
The HTML answer carries a strict Content-Security-Policy (scripts and styles from this origin
only, no inline script), a second line of defence behind the page setting every server string
as text.
"""

from __future__ import annotations

from importlib.resources import files
from typing import Final

from fastapi import APIRouter, FastAPI
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles

ASSETS_URL: Final = "/dashboard-assets"
ASSETS = files("reams.api") / "dashboard"

SECURITY_HEADERS: Final = {
    "Content-Security-Policy": (
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
        "connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'self'; "
        "frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-cache",
}

router = APIRouter(include_in_schema=False)


@router.get("/", response_class=HTMLResponse)
def dashboard() -> HTMLResponse:
    """The single page; the views (#/jobs, #/jobs/{id}, #/directories, ...) route client-side."""
    html = (ASSETS / "index.html").read_text(encoding="utf-8")
    return HTMLResponse(html, headers=SECURITY_HEADERS)


@router.get("/ui")
@router.get("/dashboard")
def dashboard_alias() -> RedirectResponse:
    return RedirectResponse("./", status_code=307)  # relative: works behind a root path


def install_dashboard(app: FastAPI) -> None:
    """Add the page and mount its assets."""
    app.include_router(router)
    app.mount(ASSETS_URL, StaticFiles(directory=str(ASSETS)), name="dashboard-assets")
