"""The HTTP service: app, API, intake, errors, keys, schemas, metrics, the page."""
