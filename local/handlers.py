"""Load the real Lambda handlers from functions/<name>/app.py, and a Lambda context to call them with."""

from __future__ import annotations

import importlib.util
import uuid
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

FUNCTIONS = Path(__file__).resolve().parent.parent / "functions"


@cache
def handler(function: str) -> Any:
    """functions/<function>/app.py's lambda_handler, each under its own module name (they are all `app`)."""
    path = FUNCTIONS / function / "app.py"
    spec = importlib.util.spec_from_file_location(f"functions.{function}.app", path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.lambda_handler


@dataclass
class LambdaContext:
    function_name: str
    memory_limit_in_mb: int = 256
    aws_request_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    invoked_function_arn: str = ""
    log_group_name: str = ""
    log_stream_name: str = "local"

    def __post_init__(self) -> None:
        self.invoked_function_arn = self.invoked_function_arn or (
            f"arn:aws:lambda:us-east-1:123456789012:function:{self.function_name}"
        )
        self.log_group_name = f"/aws/lambda/{self.function_name}"

    @staticmethod
    def get_remaining_time_in_millis() -> int:
        return 30_000


def invoke(function: str, event: dict[str, Any]) -> Any:
    return handler(function)(event, LambdaContext(function_name=function))
