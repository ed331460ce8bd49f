"""What app.py, gate.py and openapi_doc.py know of the firm's API without importing it (cold start).

The firm's routes (firm.py, report.py) are included by app.py with the first request that can reach one: a
path under ``PREFIX`` or the OpenAPI document. A candidate's requests never load them.
"""

PREFIX = "/firm/"
SCHEME = "firm_jwt"
FIRM_JWT = [{SCHEME: []}]  # every firm route's security: the HTTP API's JWT authorizer (template.yaml)
IMPORT_PATH = "/firm/interviews:import"  # the CSV import, whose body may be larger than any other
