"""The process a function runs in: the environment's settings (``config``, its one reader), the one Logger,
Tracer and metrics (``observability``), and the cold start (``coldstart``, ``lazy_packages``, ``snapshot``).

Its rule: it knows the domain and nothing above it: no use case, no port, no adapter, no API. The domain
may register a heavy library to load lazily (``lazy_packages``), which imports nothing of the package.
"""
