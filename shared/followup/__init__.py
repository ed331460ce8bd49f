"""Interview Follow-Up: the package with every line of the product's logic (the Lambda layer).

Its folders are its layers, each importing only the ones below it (``.importlinter``, checked by ``make test``):

- ``api/``: the HTTP edge: pydantic requests, commands and answers, the pages, templates and static files;
- ``handlers``: the step Lambdas' entry (it picks the adapters a step uses);
- ``usecases/``: what the service does; it reaches the outside only through ``ports``;
- ``adapters/``: DynamoDB, EventBridge Scheduler, SES and SNS, behind the ports;
- ``ports``: the Protocols the use cases talk through, and the data that crosses them;
- ``runtime/``: the process: the environment's settings, the one logger, the cold start;
- ``domain/``: the rules and the words, pure.

docs/architecture.md ("The package, layer by layer") has the table.
"""
