"""The HTML pages: what users typed or the firm configured is escaped; the form's zone fallback."""

from __future__ import annotations

import re

from followup.pages import SECURITY_HEADERS, form_page, manage_page


def test_the_firm_name_is_escaped_on_both_pages():
    firm = '<script>alert("x")</script> & Co'

    for page in (form_page(firm), manage_page(firm, "abc123def456")):
        assert "<script>alert" not in page
        assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Co" in page


def test_the_form_falls_back_to_the_deployments_default_zone():
    page = form_page("Acme", "Europe/London")

    [select] = re.findall(r"<select[^>]*candidate-time_zone[^>]*>", page)
    assert 'data-default="Europe/London"' in select


def test_pages_forbid_referrers_since_the_token_is_in_the_url():
    assert SECURITY_HEADERS["Referrer-Policy"] == "no-referrer"
    assert "frame-ancestors 'none'" in SECURITY_HEADERS["Content-Security-Policy"]
