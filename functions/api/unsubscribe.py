"""The unsubscribe link: its page (GET, which changes nothing) and the one-click unsubscribe (POST, RFC 8058).

Its pages speak the language the link asks for (``?lang=``, which the page's buttons keep), else the browser's."""

from __future__ import annotations

from typing import Annotated, Literal

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Query
from current import JSON, service
from web_pages import html_page, requested_language

from followup.api import pages
from followup.api.schema import ErrorBody, UnsubscribedView
from followup.domain.errors import InterviewNotFound
from followup.runtime.config import get_settings

router = Router()

UNSUBSCRIBE_TOKEN = Query(min_length=1, max_length=128, description="the unsubscribe token of the link")
UNSUBSCRIBE_SCOPE = Query(description="interview (the default): this interview's messages; firm: also every message "
                                      "from the firm to the email address the link was sent to, for good")


@router.get(
    "/unsubscribe",
    summary="The unsubscribe page: one button; opening it changes nothing (mail scanners open links)",
    responses={
        200: {"description": "An HTML page", "content": {"text/html": {"schema": {"type": "string"}}}},
        404: {"description": "Unknown, erased or expired token (or none): a page saying the link no longer works",
              "content": {"text/html": {"schema": {"type": "string"}}}},
    },
)
def unsubscribe_page(token: Annotated[str, UNSUBSCRIBE_TOKEN]) -> Response[str]:
    try:
        from_firm = service().can_leave_firm(token)
    except InterviewNotFound:
        return link_gone_page()
    return html_page(pages.unsubscribe_page(get_settings().firm_name, token, from_firm=from_firm,
                                            language=requested_language(router.current_event)))


@router.post(
    "/unsubscribe",
    summary="RFC 8058 one-click unsubscribe (body List-Unsubscribe=One-Click, or empty): stops every further "
            "message; the answer holds no personal data",
    responses={
        200: {"description": "Unsubscribed: a page for a browser, else this JSON",
              "content": {JSON: {"model": UnsubscribedView}, "text/html": {"schema": {"type": "string"}}}},
        404: {"description": "Unknown, erased or expired token, or not an unsubscribe token (a page for a browser, "
                             "else JSON)",
              "content": {JSON: {"model": ErrorBody}, "text/html": {"schema": {"type": "string"}}}},
    },
)
def unsubscribe(token: Annotated[str, UNSUBSCRIBE_TOKEN],
                scope: Annotated[Literal["interview", "firm"], UNSUBSCRIBE_SCOPE] = "interview") -> Response[str]:
    try:
        service().unsubscribe(token, from_firm=scope == "firm")
    except InterviewNotFound:
        if wants_a_page():
            return link_gone_page()
        raise
    if wants_a_page():
        return html_page(pages.unsubscribed_page(get_settings().firm_name, from_firm=scope == "firm",
                                                 language=requested_language(router.current_event)))
    return Response(status_code=200, content_type=JSON, body=UnsubscribedView(status="unsubscribed").model_dump_json())


def wants_a_page() -> bool:
    """A browser's request (``Accept`` names HTML), not a mail client's one-click unsubscribe."""
    return "text/html" in (router.current_event.headers.get("accept") or "").lower()


def link_gone_page() -> Response[str]:
    """A dead unsubscribe link, in a browser: a page in the site's layout saying so and what to do, with 404."""
    settings = get_settings()
    return html_page(pages.unsubscribe_gone_page(settings.firm_name, settings.contact_email,
                                                 language=requested_language(router.current_event)), status=404)


def unsubscribe_link_broken() -> bool:
    """A browser's request to /unsubscribe whose token (or scope) is missing or malformed: the link is as dead as one
    whose interview is gone (GET is always a browser's: mail scanners and people open the link)."""
    event = router.current_event
    return event.path == "/unsubscribe" and (event.http_method == "GET" or wants_a_page())
