"""Free text (names, company, role, title) is plain words: what would render as a link, an IP address or a phone
number is refused, look-alikes included; what real candidates type passes, stored as it shows (issue 18)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from importlib import resources
from pathlib import Path

import pytest
from pydantic import ValidationError

from followup.api.requests import CandidateIn, DecisionRequest, InterviewSubmission, InterviewUpdate
from followup.domain import free_text
from followup.domain.form_errors import plain_message
from tests.conftest import load_event

ROOT = Path(__file__).resolve().parents[2]
SUBMISSION = json.loads(load_event("submit_interview.json")["body"])

# ---- what is refused ---------------------------------------------------------------------------------

LINKS = [
    # what was refused before issue 18
    "http://evil.example/login", "see evil.example/login", "www.evil.example", "mailto:someone", "evil.com",
    "paypal.com", "Globex - verify at https://evil.example",
    # a dotted host with spaces or brackets around the dot
    "evil . com", "evil .com", "evil[.]com", "evil(.)com", "evil [dot] com", "evil{.}com", "evil (dot) com",
    "www [.] evil [.] com",
    # look-alikes NFKC turns into a link, and invisible characters inside one
    "paypal\u2024com", "https\uff1a//evil.example", "evil\uff0ecom", "evil\uff61com", "evil\u3002com",
    "evil\u200b.com", "evil\u00ad.com", "evil\u2060.com", "evil.\ufeffcom", "evil\u200d.com", "ev\u200bil.c\u200bom",
    # the allowed names, but not as a whole word as listed
    "Booking.com/login", "evil.Booking.com", "Booking.com.evil.example", "Booking . com", "Amazon.com:8080",
    "ASP.NET/login", "x.ASP.NET", "evil.net", "www.js", "B\u043e\u043ekin\u0261.com",
    # other spellings of a domain
    "evil.xn--p1ai", "\u043f\u0440\u0438\u043c\u0435\u0440.\u0440\u0444",
]
IP_ADDRESSES = ["203.0.113.9", "203.0.113.9:8080", "see 203.0.113.9/login", "203[.]0[.]113[.]9", "[2001:db8::1]",
                "[2001:db8::1]:443/login", "2001:db8:0:0:0:0:0:1"]
PHONE_NUMBERS = ["Call +1 415 555 0100", "(415) 555-0100", "415.555.0100", "Jordan 4155550100",
                 "+44 20 7946 0958", "\uff08\uff14\uff11\uff15\uff09 555-0100"]
CONTROLS = ["Jordan\nRivera", "Jordan\tRivera", "Jordan\u0085Rivera", "Jordan \u202eRivera", "Dana\u2066 Whitfield",
            "Jordan\u2028Rivera", "Jordan \ud800Rivera", "\udc80"]

# ---- what passes: what real candidates type -------------------------------------------------------------

PLAIN = [
    "Amazon.com", "Booking.com", "booking.com", "BOOKING.COM", "Hotels.com", "Salesforce.com", "Ancestry.com",
    "Match.com", "Overstock.com", "Monster.com", "Zillow.com", "Amazon.com, Inc.", "(Booking.com)",
    "node.js developer", "Node.js/React developer", "ASP.NET developer", ".NET engineer", "C#/.NET developer",
    "Senior VB.NET and ADO.NET developer", "Vue.js engineer", "St. Louis", "J. R. R. Tolkien", "Dr. Ana Mar\u00eda",
    "Yahoo!", "AT&T", "3M", "Level 2 Support", "Team 42", "2026 intern", "J.P. Morgan & Co.",
    "Sr. Data Analyst (ML/AI)", "Zo\u00eb O'Brien-\u0141ukasiewicz", "Ph.D.", "U.S. Bank", "J.Crew", "E.ON",
    "L.L.Bean", "Foo :: Bar", "Shift 10:30-18:00", "Class of 2019-2023", "ISO 9001 and ISO 27001",
    "\u738b\u5c0f\u660e", "\u0645\u062d\u0645\u062f \u0639\u0644\u064a", "Ji\u0159\u00ed Nov\u00e1k",
]


@pytest.mark.parametrize("text", LINKS)
def test_a_link_in_any_disguise_is_refused(text):
    with pytest.raises(free_text.Refused) as refused:
        free_text.check(text)

    assert refused.value.kind == "link"


@pytest.mark.parametrize("text", IP_ADDRESSES)
def test_an_ip_address_is_refused(text):
    with pytest.raises(free_text.Refused) as refused:
        free_text.check(text)

    assert refused.value.kind == "ip_address"


@pytest.mark.parametrize("text", PHONE_NUMBERS)
def test_a_phone_number_is_refused(text):
    with pytest.raises(free_text.Refused) as refused:
        free_text.check(text, "US")

    assert refused.value.kind == "phone_number"


def test_a_national_number_is_read_with_the_region_given():
    free_text.check("020 7946 0958", "US")  # no number in the US

    with pytest.raises(free_text.Refused):
        free_text.check("020 7946 0958", "GB")


@pytest.mark.parametrize("text", CONTROLS)
def test_control_characters_and_text_direction_overrides_are_refused_not_removed(text):
    with pytest.raises(free_text.Refused) as refused:
        free_text.check(text)

    assert refused.value.kind == "control_character"


@pytest.mark.parametrize("text", PLAIN)
def test_what_real_candidates_type_passes_unchanged(text):
    assert free_text.check(text, "US") == text


@pytest.mark.parametrize(
    ("given", "stored"),
    [("\uff2a\uff4f\uff52\uff44\uff41\uff4e Rivera", "Jordan Rivera"),  # full-width letters
     ("Jor\u200bdan\u00ad Ri\ufeffvera", "Jordan Rivera"),  # invisible characters
     ("Jordan\u00a0Rivera", "Jordan Rivera"),  # a no-break space
     ("\u3000Jordan Rivera\u3000", "Jordan Rivera"),  # ideographic spaces around it
     ("Zoe\u0308", "Zo\u00eb"),  # composed
     ("\u2460 Globex", "1 Globex"),
     ("  Globex Corporation ", "Globex Corporation")],  # ASCII: as given, trimmed
)
def test_the_text_is_kept_as_it_shows(given, stored):
    assert free_text.check(given) == stored


def test_every_default_ignorable_code_point_is_removed_and_none_comes_back_from_nfkc():
    # Given every code point of the list (the bidirectional controls aside: refused) but the tag block's unassigned
    ranges = [(0xAD, 0xAD), (0x34F, 0x34F), (0x61C, 0x61C), (0x115F, 0x1160), (0x17B4, 0x17B5), (0x180B, 0x180F),
              (0x200B, 0x200F), (0x2060, 0x2065), (0x206A, 0x206F), (0x3164, 0x3164), (0xFE00, 0xFE0F),
              (0xFEFF, 0xFEFF), (0xFFA0, 0xFFA0), (0xFFF0, 0xFFF8), (0x1BCA0, 0x1BCA3), (0x1D173, 0x1D17A),
              (0xE0000, 0xE0FFF)]
    invisible = "".join(chr(c) for low, high in ranges for c in range(low, high + 1))

    # When each is put inside a name
    assert free_text.normalise(f"Jor{invisible}dan") == "Jordan"

    # Then a normalised text normalises to itself (what is stored, checked again, stays)
    for text in PLAIN:
        assert free_text.normalise(free_text.normalise(text)) == free_text.normalise(text)


# ---- through the API's models: every free-text field, the error's kind, the stored value ---------------------

FIELDS = {
    "candidate.name": lambda text: {**SUBMISSION, "candidate": {**SUBMISSION["candidate"], "name": text}},
    "candidate.preferred_name": lambda text: {**SUBMISSION, "candidate": {**SUBMISSION["candidate"],
                                                                          "preferred_name": text}},
    "company": lambda text: {**SUBMISSION, "company": text},
    "role": lambda text: {**SUBMISSION, "role": text},
    "interviewer.name": lambda text: {**SUBMISSION, "interviewer": {"name": text}},
    "interviewer.title": lambda text: {**SUBMISSION, "interviewer": {"name": "Dana Whitfield", "title": text}},
}


def problems(body: dict) -> list[tuple[str, str]]:
    with pytest.raises(ValidationError) as caught:
        InterviewSubmission.model_validate(body)
    return [(".".join(map(str, e["loc"])), e["type"]) for e in caught.value.errors()]


@pytest.mark.parametrize("field", FIELDS)
@pytest.mark.parametrize(("text", "kind"), [("Call +1 415 555 0100", "phone_number"), ("(415) 555-0100", "phone_number"),
                                            ("415.555.0100", "phone_number"), ("evil[.]com", "link"),
                                            ("paypal\u2024com", "link"), ("203.0.113.9", "ip_address")])
def test_each_free_text_field_refuses_phone_numbers_links_and_ip_addresses(field, text, kind):
    assert problems(FIELDS[field](text)) == [(field, kind)]


@pytest.mark.parametrize("field", FIELDS)
def test_each_free_text_field_stores_the_text_as_it_shows(field):
    submission = InterviewSubmission.model_validate(FIELDS[field]("\uff22ooking.com \u200bTeam 42"))

    value = submission.model_dump()
    for part in field.split("."):
        value = value[part]
    assert value == "Booking.com Team 42"


@pytest.mark.parametrize("text", ["Amazon.com", "Booking.com", "node.js developer", "ASP.NET developer",
                                  ".NET engineer", "Vue.js engineer", "Yahoo!", "AT&T", "3M", "Level 2 Support",
                                  "Team 42", "2026 intern"])
def test_companies_and_roles_real_candidates_type_are_accepted(text):
    submission = InterviewSubmission.model_validate({**SUBMISSION, "company": text, "role": text})

    assert (submission.company, submission.role) == (text, text)


@pytest.mark.parametrize("name", ["St. Louis", "J. R. R. Tolkien", "Dr. Ana Mar\u00eda"])
def test_names_real_people_have_are_accepted(name):
    assert CandidateIn.model_validate({"name": name, "time_zone": "America/Chicago"}).name == name


def test_the_decisions_names_and_an_edit_follow_the_same_rule():
    with pytest.raises(ValidationError):
        DecisionRequest.model_validate({"outcome": "offer", "supervisor": {"name": "Call (415) 555-0100"}})
    with pytest.raises(ValidationError):
        InterviewUpdate.model_validate({"role": "evil . com"})
    assert InterviewUpdate.model_validate({"company": "Booking.com"}).company == "Booking.com"


@pytest.mark.parametrize("text", ["\u200b", "\u200b\ufeff\u2060", " \u00ad "])
def test_a_required_text_of_invisible_characters_alone_is_missing(text):
    with pytest.raises(ValidationError) as caught:
        CandidateIn.model_validate({"name": text, "time_zone": "Europe/London"})

    (problem,) = caught.value.errors()
    assert (problem["loc"], problem["type"]) == (("name",), "string_too_short")
    assert plain_message("candidate.name", problem) == "Enter your name"


def test_a_text_nfkc_makes_longer_than_the_limit_is_too_long():
    # "\ufdfa" is one character, eighteen once normalised
    with pytest.raises(ValidationError) as caught:
        CandidateIn.model_validate({"name": "\ufdfa" * 20, "time_zone": "Europe/London"})

    (problem,) = caught.value.errors()
    assert plain_message("candidate.name", problem) == "Your name must be 200 characters or fewer"


@pytest.mark.parametrize(
    ("kind", "field", "message"),
    [("link", "company", "The company's name can't contain a web address or a link"),
     ("ip_address", "role", "The job can't contain an IP address"),
     ("phone_number", "candidate.name", "Your name can't contain a phone number"),
     ("phone_number", "interviewer.title", "Your interviewer's job title can't contain a phone number"),
     ("control_character", "candidate.preferred_name", "The name you go by can't contain line breaks or hidden characters"),
     ("email_not_ascii", "candidate.email", "Enter an email address with only Latin letters, digits and . _ % + - "
                                            "before the @: we can't deliver to this one")],
)
def test_each_refusal_is_said_in_plain_words_naming_the_field(kind, field, message):
    assert plain_message(field, {"type": kind, "msg": "whatever pydantic said"}) == message


# ---- through the API: a 422 naming the field, never a 5xx --------------------------------------------------


def call_with_name(raw_name: str):
    from tests.integration.harness import call_api

    body = json.dumps({**SUBMISSION, "candidate": {**SUBMISSION["candidate"], "name": "NAME"}})
    return call_api("POST", "/interviews", raw=body.replace('"NAME"', '"' + raw_name + '"'))  # as a client escapes


@pytest.mark.parametrize(
    ("raw_name", "message"),
    [("\\ud800", "Your name can't contain line breaks or hidden characters"),
     ("Jordan \\udc80", "Your name can't contain line breaks or hidden characters"),
     ("\\ud83d\\ude00 \\u202e", "Your name can't contain line breaks or hidden characters"),
     ("Call +1 415 555 0100", "Your name can't contain a phone number"),
     ("Jordan (evil[.]com)", "Your name can't contain a web address or a link"),
     ("x" * 5_000, "Your name must be 200 characters or fewer"),  # the body's limit is 16 KiB
     ("\\ufdfa" * 20, "Your name must be 200 characters or fewer"),
     ("\\u200b" * 150, "Enter your name")],
    ids=["lone-high-surrogate", "lone-low-surrogate", "emoji-and-override", "phone", "link", "very-long",
         "longer-once-normalised", "invisible-only"],
)
def test_odd_names_through_the_api_are_a_422_naming_the_field(aws_env, raw_name, message):
    answer = call_with_name(raw_name)

    assert answer.status == 422, answer.text
    assert answer.json()["errors"] == [{"field": "candidate.name", "message": message}]


@pytest.mark.parametrize("raw_name", ["1:" * 100, "1 " * 100, "a-" * 100, "[." * 100, "\\ud83d\\ude00" * 100,
                                      "\\u0301" * 200, "\\ufffe\\uffff", "\\udbff\\udfff"])
def test_no_text_a_client_sends_is_a_5xx(aws_env, raw_name):
    answer = call_with_name(raw_name)

    assert answer.status in (202, 422), answer.text


def test_a_non_ascii_local_part_through_the_api_is_a_422_on_the_email(aws_env):
    from tests.integration.harness import call_api

    body = {**SUBMISSION, "candidate": {**SUBMISSION["candidate"], "email": "\uff41lice@example.com"}}

    answer = call_api("POST", "/interviews", body=body)

    assert answer.status == 422, answer.text
    assert answer.json()["errors"] == [
        {"field": "candidate.email", "message": "Enter an email address with only Latin letters, digits and . _ % + - "
                                                "before the @: we can't deliver to this one"}]


# ---- the cold start: phonenumbers only for a text that may hold a number -----------------------------------

PROBE = """
import json, sys
from followup.api.requests import InterviewSubmission
body = json.loads(sys.argv[1])
body["candidate"].pop("phone"); body["channels"] = ["email"]; body["sms_consent"] = False
InterviewSubmission.model_validate(body)
before = "phonenumbers" in sys.modules
body["company"] = "Globex, call 415.555.0100"
try:
    InterviewSubmission.model_validate(body)
    refused = False
except Exception:
    refused = True
print(json.dumps({"before": before, "after": "phonenumbers" in sys.modules, "refused": refused}))
"""


def test_a_request_without_seven_digits_in_its_texts_never_imports_phonenumbers():
    done = subprocess.run(  # noqa: S603 - our interpreter, our probe
        [sys.executable, "-c", PROBE, json.dumps(SUBMISSION)], cwd=ROOT, capture_output=True, text=True, check=True,
        timeout=60, env={"PATH": "/usr/bin:/bin", "PYTHONPATH": f"{ROOT / 'shared'}"},
    )
    seen = json.loads(done.stdout.strip().splitlines()[-1])

    assert seen == {"before": False, "after": True, "refused": True}


# ---- the form's own check agrees with the server's ----------------------------------------------------------

NODE = shutil.which("node")
JS_SECTION = re.compile(r"// ---- plain text:.*?// ---- end of plain text", re.DOTALL)


@pytest.mark.skipif(NODE is None, reason="needs Node.js to run the form's script")
def test_the_forms_check_refuses_what_the_server_refuses_and_nothing_it_takes():
    # Given the form's plain-text check (form.js), run under Node on every text above but phone numbers and IPv6
    # addresses (the server's alone)
    source = resources.files("followup.api").joinpath("static", "form.js").read_text(encoding="utf-8")
    (section,) = JS_SECTION.findall(source)
    texts = [t for t in LINKS + IP_ADDRESSES + PLAIN if "::" not in t and not t.startswith("2001:")]
    program = section + "\nconsole.log(JSON.stringify(JSON.parse(process.argv[1]).map(linkProblem)));"
    done = subprocess.run([NODE, "-e", program, json.dumps(texts)],  # noqa: S603 - Node, our own script
                          capture_output=True, text=True, check=True, timeout=60)
    verdicts = dict(zip(texts, json.loads(done.stdout), strict=True))

    # Then it refuses each link and IP address as the server does, and passes what the server passes
    server = {text: _verdict(text) for text in texts}
    assert {t: v for t, v in verdicts.items() if v != server[t]} == {}


def test_the_form_allows_the_same_brand_names_as_the_server():
    source = resources.files("followup.api").joinpath("static", "form.js").read_text(encoding="utf-8")
    (listed,) = re.findall(r"const ALLOWED_BRANDS = new Set\(\[(.*?)\]\)", source, re.DOTALL)

    assert set(re.findall(r'"([^"]+)"', listed)) == free_text.ALLOWED_BRANDS


def _code_points(ranges: list[tuple[str, str]]) -> set[int]:
    return {c for low, high in ranges for c in range(ord(low), ord(high or low) + 1)}


def test_the_form_removes_the_same_invisible_characters_as_the_server():
    source = resources.files("followup.api").joinpath("static", "form.js").read_text(encoding="utf-8")
    (listed,) = re.findall(r"const IGNORABLE = new RegExp\(\[(.*?)\]\.map", source, re.DOTALL)
    escape = r"\\\\u\{?([0-9A-Fa-f]{4,5})\}?"
    in_js = [(chr(int(low, 16)), chr(int(high, 16)) if high else "")
             for low, high in re.findall(rf'"{escape}(?:-{escape})?"', listed)]
    in_python = re.findall(r"(.)(?:-(.))?", free_text.IGNORABLE[1:-1], re.DOTALL)

    assert len(in_js) == 17
    assert _code_points(in_js) == _code_points(in_python)


def _verdict(text: str) -> str:
    try:
        free_text.check(text)
    except free_text.Refused as refused:
        return refused.kind
    return ""
