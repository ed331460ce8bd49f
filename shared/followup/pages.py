"""The two HTML pages (placeholder until the local-stack work lands)."""

SECURITY_HEADERS: dict[str, str] = {}


def form_page(firm_name: str) -> str:
    raise NotImplementedError


def manage_page(firm_name: str, interview_id: str) -> str:
    raise NotImplementedError
