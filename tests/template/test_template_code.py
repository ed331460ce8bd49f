"""template.yaml against the code: every handler defined, every variable a function reads set, only the config
module reading the environment, the delivery's attempts matching Lambda's retries."""

from __future__ import annotations

import importlib

import pytest

from tests.template.template_parts import (
    API_FUNCTION,
    COLDSTART_MODULE,
    COLDSTART_READS,
    CONFIG_MODULE,
    FUNCTIONS,
    ROOT,
    STEP_FUNCTIONS,
    defines_top_level,
    environment_reads,
    python_sources,
)

# ------------------------------------------------------------ code agrees with template


@pytest.mark.parametrize("logical_id", FUNCTIONS)
def test_every_function_handler_is_defined_in_its_code(template, logical_id):
    # Given a function's CodeUri and Handler ("module.function")
    properties = template["Resources"][logical_id]["Properties"]
    module, function = properties["Handler"].rsplit(".", 1)
    source = ROOT / properties["CodeUri"] / f"{module.replace('.', '/')}.py"

    # When the handler module is parsed (not imported)
    assert source.is_file(), f"{logical_id}: {source.relative_to(ROOT)} does not exist"
    defined = defines_top_level(source.read_text(encoding="utf-8"), function)

    # Then it defines the handler at module level
    assert defined, f"{source.relative_to(ROOT)} defines no top-level {function}"


def test_globals_set_every_variable_every_function_reads(template):
    # Given the names the config module says every function reads
    config = importlib.import_module("followup.runtime.config")

    # When they are compared with the Globals environment
    global_vars = template["Globals"]["Function"]["Environment"]["Variables"]
    missing = sorted(set(config.COMMON_ENV) - set(global_vars))

    # Then none is missing
    assert missing == []


def test_api_function_sets_every_variable_the_api_reads(template, function_environment):
    # Given the names the config module says the API reads beyond the common ones
    config = importlib.import_module("followup.runtime.config")

    # When they are compared with the ApiFunction's environment (Globals merged in)
    missing = sorted(set(config.API_ENV) - set(function_environment(template, API_FUNCTION)))

    # Then none is missing
    assert missing == []


def test_only_the_config_module_reads_the_environment():
    # Given every Python file of the layer and the functions except followup/runtime/config.py
    sources = [path for path in python_sources() if path != CONFIG_MODULE]
    assert COLDSTART_MODULE in sources

    # When they are searched for reads of the environment
    reads = [
        f"{path.relative_to(ROOT)}:{line} reads {name}"
        for path in sources
        for line, name in environment_reads(path.read_text(encoding="utf-8"))
        if not (path == COLDSTART_MODULE and name in COLDSTART_READS)
    ]

    # Then there are none: config.py is the one place that reads the environment (but for the runtime's
    # LAMBDA_TASK_ROOT in coldstart.py, which must not import config)
    assert reads == []


def test_environment_reads_finds_each_way_of_reading_a_variable():
    # Given code that reads the environment in each way the rule forbids
    source = (
        "import os\n"
        "from os import environ, getenv as ge\n"
        "a = os.environ['TABLE_NAME']\n"
        "b = os.environ.get('FIRM_NAME', 'x')\n"
        "c = os.getenv('NUDGE_HOUR')\n"
        "d = environ.get('SENDER_EMAIL')\n"
        "e = ge('DEFAULT_TIME_ZONE')\n"
        "f = os.environ[name]\n"
        "g = {}.get('NOT_THE_ENVIRONMENT')\n"
    )

    # When it is scanned
    reads = environment_reads(source)

    # Then every read is found, with its line, and the plain dict lookup is not
    assert reads == [
        (3, "TABLE_NAME"),
        (4, "FIRM_NAME"),
        (5, "NUDGE_HOUR"),
        (6, "SENDER_EMAIL"),
        (7, "DEFAULT_TIME_ZONE"),
        (8, "<computed name>"),
    ]


@pytest.mark.parametrize("logical_id", STEP_FUNCTIONS)
def test_delivery_attempts_match_the_lambda_async_retries(template, function_environment, logical_id):
    # Given a step function's async retry setting and the attempts the code counts on
    retries = template["Resources"][logical_id]["Properties"]["EventInvokeConfig"]["MaximumRetryAttempts"]
    attempts = function_environment(template, logical_id)["MAX_DELIVERY_ATTEMPTS"]

    # When they are compared
    # Then one first attempt plus the retries is exactly the attempts the code expects
    assert int(attempts) == 1 + retries == 3


