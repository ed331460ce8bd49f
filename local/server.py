"""`make run`: the whole stack in one process on http://127.0.0.1:$PORT (default 3000). See local/stack.py.

    python -m local.server [--port N] [--quiet] [--start ISO-8601] [--user EMAIL:PASSWORD:GROUP ...]

``PORT`` sets the default port; ``--port`` overrides it (0 takes a free one). ``FIRM_NAME`` brands the
pages and messages. ``--start`` sets the simulated clock's first moment (default: now). ``--user`` (again
for each) seeds one more user of the firm's pool beside the recruiter and the admin, as do the entries of
``LOCAL_USERS`` (separated by spaces: ``LOCAL_USERS='alex@firm.example:Alex-local-123:recruiters' make run``);
a user the pool refuses (an unknown group, a weak password) is one line on stderr and exit code 2. Ctrl-C or
SIGTERM stops it; a port already in use is one line on stderr and exit code 1.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import threading
import warnings
from datetime import UTC, datetime

from local.clock import iso
from local.cognito import SeededUser, UserRefused, parse_user
from local.stack import DEFAULT_PORT, EmbeddedStack


def _port(value: str) -> int:
    port = int(value)
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"{value} is not a port number (0-65535)")
    return port


def _moment(value: str) -> datetime:
    moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _user(value: str) -> SeededUser:
    try:
        return parse_user(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from exc


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m local.server", description=__doc__.split("\n", 1)[0])
    parser.add_argument("--port", type=_port, default=None,
                        help=f"web server port (default: $PORT, else {DEFAULT_PORT}; 0 for a free one)")
    parser.add_argument("--quiet", action="store_true", help="no request log and no handler logs below WARNING")
    parser.add_argument("--start", type=_moment, default=None,
                        help="the simulated clock's first moment, ISO 8601 (default: the real time)")
    parser.add_argument("--user", type=_user, action="append", default=[], metavar="EMAIL:PASSWORD:GROUP",
                        help="one more user of the firm's pool (group: recruiters or admins); again for each, "
                             "after those of $LOCAL_USERS")
    args = parser.parse_args(argv)
    try:
        args.user = [*(parse_user(spec) for spec in os.environ.get("LOCAL_USERS", "").split()), *args.user]
    except ValueError as exc:
        parser.error(f"LOCAL_USERS: {exc}")
    if args.port is None:
        env_port = os.environ.get("PORT", "").strip()
        try:
            args.port = _port(env_port) if env_port else DEFAULT_PORT
        except (ValueError, argparse.ArgumentTypeError):
            parser.error(f"PORT={env_port!r} is not a port number")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    warnings.filterwarnings("ignore", message="No application metrics to publish")
    stack = EmbeddedStack(port=args.port, start=args.start, quiet=args.quiet, users=tuple(args.user))
    if not args.quiet:
        print("Starting the local stack: moto, the tables, the schedules and the functions (a few seconds)…", flush=True)
    try:
        stack.start()
    except OSError as exc:  # PortInUse included: one line, no traceback
        print(f"error: {exc.strerror or exc}", file=sys.stderr)
        return 1
    except UserRefused as exc:
        print(f"error: user {exc}", file=sys.stderr)
        return 2

    stopping = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stopping.set())
    url = stack.base_url
    print(f"Interview Follow-Up local stack on {url}/", flush=True)  # local.client.READY_LINE waits for it
    print(f"  web form      {url}/", flush=True)
    print(f"  firm's page   {url}/firm/   (recruiters and admins: the sign-ins below)", flush=True)
    print(f"  dev console   {url}/_local/   (outbox, schedules, clock)", flush=True)
    print(f"  API contract  {url}/openapi.json", flush=True)
    print(f"  firm          {stack.firm_name}; simulated clock at {iso(stack.now())}; moto on {stack.moto_url}",
          flush=True)
    print(f"  firm sign-in  {url}/_local/cognito-idp, app client {stack.cognito.sign_in.client_id}", flush=True)
    print(f"  user pool     {stack.cognito.sign_in.user_pool_id} on moto (more users: README, Running it locally)",
          flush=True)
    for user in stack.seeded_users:  # local only: moto's pool, never a deployed one
        print(f"  firm sign-in  {user.email} / {user.password}   ({', '.join(user.groups)})", flush=True)
    print("Ctrl-C stops it.", flush=True)
    try:
        while not stopping.wait(0.5):
            pass
    finally:
        stack.stop()
    print("stopped", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
