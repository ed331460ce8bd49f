"""The API's edge: pydantic request models, commands and answers, the pages, their templates and static files.

Its rule: nothing a step Lambda loads imports it (nor pydantic). It is the only layer that imports pydantic.
"""
