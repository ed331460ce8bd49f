"""The HTML pages: values are escaped, nothing runs inline, and the markup agrees with the scripts that drive it."""

from __future__ import annotations

import re
from importlib import resources

import pytest

from followup.api import pages
from followup.api.firm_page import FirmPageConfig, firm_page
from followup.api.pages import form_page, manage_page, unsubscribe_page, unsubscribed_page
from tests.page_parts import PageParts

HOSTILE = '<script>alert("x")</script> & Co'
PAGES = {
    "form": lambda: form_page("Acme Staffing"),
    "manage": lambda: manage_page("Acme Staffing", "abc123def456"),
    "unsubscribe": lambda: unsubscribe_page("Acme Staffing", "abc123def456.secret"),
    "unsubscribed": lambda: unsubscribed_page("Acme Staffing"),
    "firm": lambda: firm_page(FirmPageConfig("Acme Staffing", "client123", "https://cognito-idp.us-east-1.amazonaws.com/")),
}


def static_file(name: str) -> str:
    return resources.files("followup.api").joinpath("static", name).read_text(encoding="utf-8")


def header_text(page: str) -> str:
    parts = re.search(r'<p class="firm">(.*?)</p>', page)
    assert parts, "the page has no firm header"
    return parts.group(1)


@pytest.mark.parametrize("render", [
    lambda firm: form_page(firm), lambda firm: manage_page(firm, "abc123"), lambda firm: unsubscribe_page(firm, "a.b"),
    lambda firm: unsubscribed_page(firm), lambda firm: firm_page(FirmPageConfig(firm)),
], ids=["form", "manage", "unsubscribe", "unsubscribed", "firm"])
def test_the_firm_name_is_escaped_on_every_page(render):
    page = render(HOSTILE)

    assert "<script>alert" not in page
    assert header_text(page) == "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Co"


def test_the_interview_id_from_the_url_reaches_the_script_unchanged_and_inert():
    # Given an id as a hostile URL could carry it
    interview_id = 'x"><script>y</script>'

    # When the manage page is rendered and parsed as a browser would
    parts = PageParts(manage_page("Acme", interview_id))

    # Then the script's data attribute holds exactly that text, and no element came out of it
    [main] = parts.all("main")
    assert main["data-interview-id"] == interview_id
    assert [attrs for attrs in parts.all("script") if not attrs.get("src")] == []


def test_values_that_look_like_template_fields_are_shown_as_typed():
    page = unsubscribe_page("$firm", token="$action")

    assert 'action="/unsubscribe?token=%24action"' in page
    assert header_text(page) == "$firm"


def test_the_unsubscribe_page_is_one_button_that_posts_the_one_click_form_and_names_nobody():
    parts = PageParts(unsubscribe_page("Acme Staffing", "abc123def456.s3cret_-x"))

    [form] = parts.all("form")
    assert (form["method"], form["action"]) == ("post", "/unsubscribe?token=abc123def456.s3cret_-x")
    assert [b.get("type") for b in parts.all("button")] == ["submit"]
    assert [(i["name"], i["value"]) for i in parts.all("input")] == [("List-Unsubscribe", "One-Click")]


def test_the_form_carries_the_services_clock_for_its_checks_of_a_past_interview():
    parts = PageParts(form_page("Acme", "Europe/London", now="2026-03-10T19:00:00+00:00"))

    [form] = [attrs for attrs in parts.all("form") if attrs.get("id") == "interview-form"]
    assert form["data-now"] == "2026-03-10T19:00:00+00:00"


def test_the_manage_page_loads_the_step_helpers_after_the_common_ones_and_before_its_own_script():
    urls = PageParts(manage_page("Acme", "abc123")).asset_urls()

    scripts = [url.removeprefix(pages.STATIC_PREFIX).split(".")[0] for url in urls if url.endswith(".js")]
    assert scripts == ["common", "steps", "manage"]


def test_the_form_falls_back_to_the_deployments_default_zone():
    parts = PageParts(form_page("Acme", "Europe/London"))

    [select] = [attrs for attrs in parts.all("select") if attrs.get("id") == "candidate-time_zone"]
    assert select["data-default"] == "Europe/London"


@pytest.mark.parametrize("name", PAGES)
def test_no_page_carries_inline_code_styles_or_event_handlers(name):
    parts = PageParts(PAGES[name]())

    assert parts.inline_code == []
    assert parts.all("style") == []
    assert all(attrs.get("src") for attrs in parts.all("script"))
    for tag, attrs in parts.elements:
        assert "style" not in attrs, tag
        assert not [a for a in attrs if a.startswith("on")], tag
        assert not (attrs.get("href") or "").lower().startswith("javascript:"), tag


@pytest.mark.parametrize("name", ["form", "manage", "firm"])
def test_every_label_hint_and_error_of_a_form_points_at_an_element_of_its_page(name):
    parts = PageParts(PAGES[name]())
    ids = parts.ids()

    labelled = {attrs["for"] for attrs in parts.all("label")}
    described = {ref for _, attrs in parts.elements for ref in (attrs.get("aria-describedby") or "").split()}
    fields = {attrs["data-field"] for _, attrs in parts.elements if attrs.get("data-field")}
    errors = {attrs["data-error-for"] for _, attrs in parts.elements if attrs.get("data-error-for")}

    assert labelled and labelled <= ids
    assert described and described <= ids
    assert errors == fields  # each field the API may name has its error paragraph, and only those


@pytest.mark.parametrize(("name", "scripts"), [("form", ("form.js",)), ("manage", ("steps.js", "manage.js"))])
def test_every_element_the_scripts_look_up_by_id_is_on_the_page(name, scripts):
    code = static_file("common.js") + "".join(static_file(script) for script in scripts)

    looked_up = set(re.findall(r'getElementById\("([^"]+)"\)', code))

    assert looked_up
    assert looked_up <= PageParts(PAGES[name]()).ids()


@pytest.mark.parametrize("name", PAGES)
def test_each_asset_a_page_loads_is_found_under_its_url_and_no_other(name):
    urls = PageParts(PAGES[name]()).asset_urls()

    served = [pages.asset(url.removeprefix(pages.STATIC_PREFIX)) for url in urls]

    assert urls and all(url.startswith(pages.STATIC_PREFIX) for url in urls)
    assert all(served)
    for asset in served:
        assert pages.asset(asset.file) is None  # without its hash
        assert static_file(asset.file) == asset.body


@pytest.mark.parametrize("name", ["form.js", "form.000000000000.js", "layout.html", "pages.py", "../pages.py", ""])
def test_a_name_that_is_not_a_current_asset_finds_nothing(name):
    assert pages.asset(name) is None


FIRM_SCRIPTS = ("firm.js", "firm_views.js", "firm_forms.js")


def test_every_element_the_firms_scripts_look_up_by_id_is_on_its_page():
    code = "".join(static_file(name) for name in FIRM_SCRIPTS)

    looked_up = set(re.findall(r'byId\("([^"]+)"\)', code))
    looked_up |= {f"{view}-{suffix}" for view in re.findall(r'"(list|detail|enrol|import|report)"', code)
                  for suffix in ("view", "title")}

    assert len(looked_up) > 40
    assert looked_up <= PageParts(PAGES["firm"]()).ids()


def test_the_firms_page_carries_where_to_sign_in_escaped_and_loads_its_scripts_in_order():
    page = firm_page(FirmPageConfig('Acme "&" Co', 'c"><script>', "https://idp.example/?a=1&b=2"))

    parts = PageParts(page)
    [main] = parts.all("main")
    assert (main["data-client-id"], main["data-idp-endpoint"]) == ('c"><script>', "https://idp.example/?a=1&b=2")
    assert [s["src"].split(".")[0] for s in parts.all("script")] == ["/static/common", "/static/firm",
                                                                       "/static/firm_views", "/static/firm_forms"]
    # common.js's and firm.js's globals first, as on the candidate's pages
    assert [s.get("type") for s in parts.all("script")] == [None, None, "module", "module"]
    assert header_text(page) == "Acme &quot;&amp;&quot; Co"


def test_the_firms_page_keeps_the_token_out_of_local_storage():
    code = "".join(static_file(name) for name in FIRM_SCRIPTS)

    assert "localStorage" not in code
    assert "sessionStorage.setItem" in code


def test_an_emailed_unsubscribe_link_also_offers_to_stop_everything_from_the_firm():
    parts = PageParts(unsubscribe_page("Acme Staffing", "abc123def456.s3cret_-x", from_firm=True))

    forms = parts.all("form")
    assert [(f["method"], f["action"]) for f in forms] == [
        ("post", "/unsubscribe?token=abc123def456.s3cret_-x"),
        ("post", "/unsubscribe?token=abc123def456.s3cret_-x&scope=firm"),
    ]
    assert [b.get("id") for b in parts.all("button")] == ["unsubscribe", "unsubscribe-firm"]
    assert "Stop all messages from Acme Staffing" in unsubscribe_page("Acme Staffing", "a.b", from_firm=True)
    assert "Stop all messages" not in unsubscribe_page("Acme Staffing", "a.b")
    assert "no more messages from Acme Staffing" in unsubscribed_page("Acme Staffing", from_firm=True)


# ---- the phone's hint follows the countries texts may go to (SMS_COUNTRIES) ----------------------------------------


def phone_hint_of(page: str) -> tuple[str, str]:
    parts = PageParts(page)
    [phone] = [attrs for attrs in parts.all("input") if attrs.get("id") == "candidate-phone"]
    hint = re.search(r'<span class="hint" id="candidate-phone-hint">(.*?)</span>', page, re.S)
    assert hint, "the phone field has no hint"
    return " ".join(hint.group(1).split()), phone["data-example"]


def test_the_phone_hint_names_the_default_countries_and_offers_no_number_of_another():
    hint, example = phone_hint_of(form_page("Acme"))

    assert hint == ("Needed for text messages. We can text mobile numbers in the United States and Canada only, "
                    "such as (415) 555-0123.")
    assert example == "(415) 555-0123"
    assert "+44" not in form_page("Acme")


def test_the_phone_hint_follows_the_firms_countries():
    hint, example = phone_hint_of(form_page("Acme", sms_countries=("US", "CA", "GB")))
    assert hint == ("Needed for text messages. We can text mobile numbers in the United States, Canada and the "
                    "United Kingdom only, such as (415) 555-0123, or +44 7400 123456 for the United Kingdom.")
    assert example == "(415) 555-0123"

    hint, example = phone_hint_of(form_page("Acme", sms_countries=("GB",)))
    assert hint == ("Needed for text messages. We can text mobile numbers in the United Kingdom only, such as "
                    "07400 123456, or +44 7400 123456.")
    assert example == "07400 123456"  # what the form's own error messages give

    hint, example = phone_hint_of(form_page("Acme", sms_countries=()))
    assert (hint, example) == ("Text messages are not available: choose email.", "")


@pytest.mark.parametrize("country", [*pages.PHONE_EXAMPLES, "GB", "IE", "IN", "MX", "DE", "NZ"])
def test_every_example_number_is_one_the_service_texts_in_its_country(country):
    import phonenumbers

    from followup.domain.phones import sms_refusal

    example = pages.phone_example(country)

    for written in (example.national, example.international):
        number = phonenumbers.parse(written, country)
        assert sms_refusal(phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164), (country,)) is None
    if country in pages.PHONE_EXAMPLES:  # written as phonenumbers writes them
        number = phonenumbers.parse(example.international, None)
        assert example.national == phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
        assert example.international == phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
