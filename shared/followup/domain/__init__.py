"""The domain: when each follow-up is due, what each message says, what each change does, what the report counts.

Its rule: pure. No I/O, no clock read but ``clock``'s, no AWS, no pydantic, nothing of the layers above; a
library heavy at cold start (Babel, holidays, phonenumbers) is loaded by the first call that needs it.
"""
