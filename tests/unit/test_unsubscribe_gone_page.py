"""The page a dead unsubscribe link shows (issue 19, item 23): the site's layout, what happened and what to do,
the firm's contact address when it has one, every value escaped, nothing inline, and no one named."""

from __future__ import annotations

from followup.api.pages import unsubscribe_gone_page, unsubscribed_page
from tests.page_parts import PageParts


def test_it_says_the_link_no_longer_works_and_what_to_do_in_the_sites_layout():
    page = unsubscribe_gone_page("Acme Staffing")
    parts = PageParts(page)

    assert "<h1>This link no longer works</h1>" in page
    assert "Nothing was changed." in page
    assert "open the unsubscribe link at the end of the most recent one" in page
    assert '<header><p class="firm">Acme Staffing</p></header>' in page
    assert parts.asset_urls() == PageParts(unsubscribed_page("Acme Staffing")).asset_urls()  # the same stylesheet
    assert parts.inline_code == [] and parts.all("form") == [] and parts.all("a") == [{"class": "skip",
                                                                                        "href": "#main"}]


def test_the_firms_contact_address_is_offered_escaped_when_it_has_one():
    page = unsubscribe_gone_page('Acme <b>"Staffing"</b>', 'help"@acme.example')
    links = [a for a in PageParts(page).all("a") if a.get("href", "").startswith("mailto:")]

    assert links == [{"href": 'mailto:help"@acme.example'}]
    assert "<b>" not in page and "Or write to Acme &lt;b&gt;&quot;Staffing&quot;&lt;/b&gt; at" in page
