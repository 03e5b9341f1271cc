"""Tests of the renderers: text, PDF and the JSON report."""
