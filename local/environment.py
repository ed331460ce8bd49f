"""The one place that builds the environment the functions run in outside Lambda (tests, `make run`, bench).

Three parts, applied to a process with ``use`` (for good) or ``applied`` (restored after):

- ``aws_environment(endpoint)``: moto's fake credentials, the region, and where AWS is (a moto server's
  URL, or no endpoint for an in-process ``mock_aws``); ``use`` drops ``AWS_PROFILE`` and every other
  ``AWS_ENDPOINT_URL*`` so nothing in a developer's shell sends a call to real AWS;
- ``OUTSIDE_LAMBDA``: the few settings that hold only off Lambda, none of them in template.yaml;
- ``functions_environment(resources, ...)``: every variable template.yaml gives the functions (Globals and
  each function's own ``Environment``), resolved as CloudFormation would (``local/intrinsics.py``): each
  parameter's Default unless given, each resource as ``local/provision.py`` provisioned it. A variable
  added to the template reaches the local stack, the tests and the bench with no second edit.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from local.fake_aws import ACCOUNT, REGION

if TYPE_CHECKING:
    from local.provision import LocalResources

FAKE_CREDENTIALS = {  # moto's fake credentials: nothing reaches AWS with them
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",  # noqa: S105
    "AWS_SESSION_TOKEN": "testing",  # noqa: S105
}
# Not in template.yaml, and true only where the functions run outside Lambda.
OUTSIDE_LAMBDA = {
    # No X-Ray daemon and no Lambda trace header here. Without LAMBDA_TASK_ROOT the service's tracer is off
    # anyway (followup.runtime.config.tracing_enabled); this also keeps it off where a runner sets LAMBDA_TASK_ROOT
    # to look like Lambda (bench's cold-start children). A cold start measured with it does NOT include
    # the X-Ray SDK that template.yaml's `Tracing: Active` deploys: whoever measures one must say so.
    "POWERTOOLS_TRACE_DISABLED": "true",
    "POWERTOOLS_DEV": "false",  # a developer's shell must not change the log format the tests read
}
# Where the local server answers the firm page's Cognito calls (local/web.py, local/cognito.py).
LOCAL_COGNITO_PATH = "/_local/cognito-idp"
FUNCTION_TYPES = ("AWS::Serverless::Function", "AWS::Lambda::Function")
PSEUDO_PARAMETERS = {"AWS::Partition": "aws", "AWS::URLSuffix": "amazonaws.com"}


def aws_environment(endpoint: str | None = None, *, region: str = REGION) -> dict[str, str]:
    """Fake credentials and ``region``; ``endpoint`` (a moto server) for every client, if given."""
    env = {**FAKE_CREDENTIALS, "AWS_DEFAULT_REGION": region, "AWS_REGION": region}
    if endpoint:
        env["AWS_ENDPOINT_URL"] = endpoint
    return env


def function_ids(template: Mapping[str, Any] | None = None) -> list[str]:
    """The logical ids of the template's Lambda functions, in the template's order."""
    from local import provision

    resources = (template or provision.template())["Resources"]
    return [logical_id for logical_id, resource in resources.items() if resource.get("Type") in FUNCTION_TYPES]


def declared_variables(logical_id: str, template: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """A function's environment as written: Globals merged with its own variables (its own win)."""
    from local import provision

    template = template or provision.template()
    common = template.get("Globals", {}).get("Function", {}).get("Environment", {}).get("Variables", {})
    own = template["Resources"][logical_id].get("Properties", {}).get("Environment", {}).get("Variables", {})
    return {**common, **own}


def local_scope(
    resources: LocalResources,
    *,
    public_base_url: str,
    firm_name: str | None = None,
    parameters: Mapping[str, Any] | None = None,
    template: Mapping[str, Any] | None = None,
) -> Any:
    """What the template's names mean here (``local.intrinsics.Scope``): parameters take their Default, except
    ``SenderEmail`` (the provisioned sender), ``PublicBaseUrl`` (where the local pages are served),
    ``FirmName`` when given, and anything in ``parameters``; resources are as provisioned."""
    from local import provision
    from local.intrinsics import Scope

    template = template or provision.template()
    given: dict[str, Any] = {"SenderEmail": resources.sender_email, "PublicBaseUrl": public_base_url}
    if firm_name is not None:
        given["FirmName"] = firm_name
    return Scope.of(
        template,
        parameters={**given, **(parameters or {})},
        refs={
            **PSEUDO_PARAMETERS,
            "AWS::Region": resources.region,
            "AWS::AccountId": ACCOUNT,
            "AWS::StackName": resources.stack_name,
            **resources.refs(),
        },
        attributes=resources.attributes(),
    )


def function_environment(
    logical_id: str,
    resources: LocalResources,
    *,
    public_base_url: str,
    firm_name: str | None = None,
    parameters: Mapping[str, Any] | None = None,
    template: Mapping[str, Any] | None = None,
) -> dict[str, str]:
    """The variables ``logical_id`` gets here, resolved against ``resources`` in ``local_scope``.
    ``COGNITO_IDP_ENDPOINT`` is the local server's own sign-in endpoint, not AWS's."""
    from local import provision
    from local.intrinsics import NO_VALUE, as_text, resolve

    template = template or provision.template()
    scope = local_scope(resources, public_base_url=public_base_url, firm_name=firm_name, parameters=parameters,
                        template=template)
    variables = {name: resolve(value, scope) for name, value in declared_variables(logical_id, template).items()}
    resolved = {name: as_text(value) for name, value in variables.items() if value is not NO_VALUE}
    # The one variable that names a real AWS endpoint: the local stack answers the sign-in calls itself.
    if "COGNITO_IDP_ENDPOINT" in resolved:
        resolved["COGNITO_IDP_ENDPOINT"] = f"{public_base_url}{LOCAL_COGNITO_PATH}"
    return resolved


def parameters_from(env: Mapping[str, str], template: Mapping[str, Any] | None = None) -> dict[str, str]:
    """Template parameters given by the variable they feed, as `sam deploy --parameter-overrides` gives them:
    a function variable written ``NAME: !Ref <Parameter>`` and set in ``env`` gives ``<Parameter>`` its value
    (``SUBMISSIONS_PER_HOUR_PER_CLIENT=1000 make run``)."""
    from local import provision

    template = template or provision.template()
    declared = template.get("Parameters", {})
    given: dict[str, str] = {}
    for logical_id in function_ids(template):
        for name, value in declared_variables(logical_id, template).items():
            if isinstance(value, dict) and value.get("Ref") in declared and env.get(name):
                given[value["Ref"]] = env[name]
    return given


def functions_environment(
    resources: LocalResources,
    *,
    public_base_url: str,
    firm_name: str | None = None,
    parameters: Mapping[str, Any] | None = None,
    template: Mapping[str, Any] | None = None,
) -> dict[str, str]:
    """Every function's variables at once, for a process that runs them all (they agree where they overlap)."""
    merged: dict[str, str] = {}
    for logical_id in function_ids(template):
        own = function_environment(logical_id, resources, public_base_url=public_base_url, firm_name=firm_name,
                                   parameters=parameters, template=template)
        clashes = sorted(name for name, value in own.items() if merged.get(name, value) != value)
        if clashes:
            raise ValueError(f"{logical_id} gives {', '.join(clashes)} another value than another function does: "
                             "one process cannot run both")
        merged.update(own)
    return merged


def use(env: Mapping[str, str]) -> None:
    """Point this process at ``env``: set it and make the product's cached clients and settings read it again.
    An ``aws_environment`` in ``env`` also drops AWS_PROFILE and any AWS endpoint it does not name."""
    for name in _dropped(env):
        del os.environ[name]
    os.environ.update(env)
    refresh()


@contextmanager
def applied(env: Mapping[str, str]) -> Iterator[None]:
    """``use(env)`` while inside; after, the names it set or dropped are as they were (and clients and
    settings fresh). Other variables are left alone, so it nests with pytest's ``monkeypatch``."""
    saved = {name: os.environ.get(name) for name in [*env, *_dropped(env)]}
    use(env)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        refresh()


def _dropped(env: Mapping[str, str]) -> list[str]:
    if not FAKE_CREDENTIALS.items() <= env.items():
        return []
    return [name for name in os.environ
            if (name == "AWS_PROFILE" or name.startswith("AWS_ENDPOINT_URL")) and name not in env]


def refresh() -> None:
    from followup.adapters import aws
    from followup.runtime.config import get_settings

    aws.reset_clients()
    get_settings.cache_clear()
