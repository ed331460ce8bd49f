"""The step Lambdas' entry point loads only what a delivery needs (cold start): no request model, no field
library, and no pydantic at all (its import was a fifth of a step's cold start)."""

from __future__ import annotations

import pytest

from followup.domain.models import STEPS
from tests.unit.function_child import LOAD_APP, run_function

API_ONLY = ("followup.api.requests", "followup.api.schema", "followup.usecases.service", "followup.usecases.submission",
            "followup.domain.phones", "phonenumbers", "email_validator", "pydantic", "pydantic_core")

LOAD_AND_LIST = LOAD_APP + """
import json
print(json.dumps({"handler": callable(module.lambda_handler), "modules": sorted(sys.modules)}))
"""


def loaded_by(function: str) -> dict:
    return run_function(function, LOAD_AND_LIST, in_lambda=False)


@pytest.mark.parametrize("step", STEPS)
def test_a_step_function_loads_no_request_model_no_field_library_no_pydantic_and_not_the_api_service(step):
    loaded = loaded_by(step)

    assert loaded["handler"]
    assert [name for name in API_ONLY if name in loaded["modules"]] == []


def test_the_api_function_does_load_the_request_models_so_the_check_above_can_see_them():
    loaded = loaded_by("api")

    api_modules = {"followup.api.requests", "followup.api.schema", "followup.usecases.service", "pydantic"}
    assert api_modules <= set(loaded["modules"])
