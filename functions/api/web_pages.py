"""The site's HTML pages (the form, an interview's manage page, the firm's page) and their static files.

Not named ``pages``: that is the layer's ``followup.api.pages``, which renders them. The candidate's pages speak the
language the request asks for (``requested_language``); the firm's page is English.
"""

from __future__ import annotations

from typing import Annotated, Any

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Path
from errors_http import error

from followup.api import pages
from followup.runtime.config import get_settings

router = Router()


@router.get("/", include_in_schema=False)
def form_page() -> Response[str]:
    from followup.domain import clock

    settings = get_settings()
    return html_page(pages.form_page(settings.firm_name, settings.default_time_zone, clock.now().isoformat(),
                                     settings.sms_countries, language=requested_language(router.current_event)))


@router.get("/manage/<interview_id>", include_in_schema=False)
def manage_page(interview_id: Annotated[str, Path(max_length=64)]) -> Response[str]:
    # The page reads its token from the URL and calls the JSON API with it; no data is rendered here. Its script
    # loads the page again in the interview's language when that is not the one asked for.
    return html_page(pages.manage_page(get_settings().firm_name, interview_id,
                                       language=requested_language(router.current_event)))


@router.get("/firm/", include_in_schema=False)
@router.get("/firm", include_in_schema=False)
def firm_page() -> Response[str]:
    # The firm's page: sign-in, then the list and the actions, all from the JSON API. It holds no data, only where
    # to sign in (the app client and Cognito's endpoint, which its CSP lets it reach) and the firm's branding.
    # The same page with or without the slash: its links and calls are absolute paths.
    from followup.api import firm_page as page  # this route's alone (cold start)

    config = page.FirmPageConfig.from_settings(get_settings())
    return html_page(page.firm_page(config), config.security_headers())


def requested_language(event: Any) -> str:
    """The language a candidate's page is served in: the address's ``?lang=``, else the browser's
    ``Accept-Language``, else the firm's default (``pages.page_language``); a value the product lacks is passed over."""
    query = event.query_string_parameters or {}
    headers = {name.lower(): value for name, value in (event.headers or {}).items()}
    return pages.page_language(query.get("lang"), headers.get("accept-language"), get_settings().default_locale)


def html_page(body: str, headers: dict[str, str] | None = None, status: int = 200) -> Response[str]:
    # A candidate's page's language follows Accept-Language (PAGE_HEADERS' Vary); the firm's page brings its own.
    return Response(status_code=status, content_type="text/html; charset=utf-8", body=body,
                    headers=headers or pages.PAGE_HEADERS)


@router.get("/static/<name>", include_in_schema=False)
def static_asset(name: Annotated[str, Path(max_length=64)]) -> Response[str]:
    # Only the pages' own stylesheet and scripts (and each language's words), under their current content hash: any
    # other name is 404.
    asset = pages.asset(name)
    if asset is None:
        return error(404, "not found")
    return Response(status_code=200, content_type=asset.content_type, body=asset.body, headers=pages.ASSET_HEADERS)
