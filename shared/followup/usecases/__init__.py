"""The use cases: submit, confirm, edit, decide, erase, deliver a follow-up, alert a recruiter, the firm's side.

Its rule: it talks to the outside only through ``followup.ports``, and it never imports pydantic: the API's
commands are read by their fields (named for annotations only). ``service.service_for`` is the one place
that builds the AWS adapters for the API.
"""
