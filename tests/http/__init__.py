"""Tests of the HTTP service: the API, its errors and limits, the server, the page."""
