"""`make bench`: how close the service runs to its floors, what it calls, how it scales, what it costs.

Each figure with a floor is measured against it in the same run, so that the noise of a shared
machine cancels out in the ratio. Parts, each runnable alone (``python -m bench.<part> --help``):

- ``coldstart``: a fresh interpreter serving one real payload vs one making the same AWS calls with boto3;
- ``overhead``: the same in a warm process, a request or a step delivery vs its raw calls;
- ``calls``: every AWS call of one interview's whole lifecycle, per phase (the test suite asserts them),
  with the item sizes, log bytes and metric series the cost model reads;
- ``scale``: 1,000 interviews through the local stack, 30 simulated days, every nudge exactly once;
- ``capacity``: on paper, 1,000,000 candidates a month: the nudge hour's peak against AWS's quotas;
- ``cost``: the monthly AWS bill for N candidates, beside a fair polling design (a due-time index).

Shared by the parts: ``env`` (a moto server process, the functions' environment on it, payloads, stored
interviews), ``replay`` (a handler's AWS calls recorded and replayed with boto3: the floor), ``children``
(a measured program in a child process, with Lambda's runtime variables), ``machine`` (what it ran on).

The lifecycle and the scale scenario are the test suite's (``tests/integration/``): the bench imports
them, never the reverse.

This package imports nothing at import time: its child processes measure their own start.
"""
