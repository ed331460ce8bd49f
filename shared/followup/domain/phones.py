"""Where SMS may go, and how a destination is shown back: the API's alone (phonenumbers is imported by the
first number that needs it, so neither the step Lambdas nor a request without a phone pay for it).

SMS goes only to the countries the firm lists (``SMS_COUNTRIES``) and to numbers that can take an SMS:
mobile ones, and the numbering plans (the US and Canada) that cannot tell mobile from fixed line. A
premium-rate, shared-cost, toll-free, pager, VoIP, personal or fixed-line number is refused: SMS pumping
to such numbers costs the firm money.
"""

from __future__ import annotations

MASK = "•••"
PHONE_MASK = "•" * 7  # always seven, so a masked number does not tell its length


def sms_refusal(phone: str, countries: tuple[str, ...]) -> str | None:
    """Why ``phone`` (E.164) may not get SMS, in words for the candidate; None when it may."""
    import phonenumbers
    from phonenumbers import PhoneNumberType

    try:
        number = phonenumbers.parse(phone, None)
    except phonenumbers.NumberParseException:
        return "Enter a mobile number we can text, like (415) 555-0123"
    region = phonenumbers.region_code_for_number(number)
    if region not in countries:
        return f"We can only text numbers in {', '.join(countries)}: enter one of those, or choose email only"
    if phonenumbers.number_type(number) not in (PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE_OR_MOBILE):
        return "Enter a mobile number that can receive texts (not premium-rate, toll-free or shared-cost)"
    return None


def mask_email(address: str) -> str:
    """``jane@example.com`` -> ``j•••@example.com``: enough for the candidate to recognise, not to harvest."""
    local, _, domain = address.rpartition("@")
    return f"{local[:1]}{MASK}@{domain}"


def mask_phone(phone: str) -> str:
    """``+14155550123`` -> ``+1•••••••0123``: the country code and the last four digits."""
    import phonenumbers

    try:
        code = str(phonenumbers.parse(phone, None).country_code)
    except phonenumbers.NumberParseException:
        code = ""
    return f"+{code}{PHONE_MASK}{phone[-4:]}"
