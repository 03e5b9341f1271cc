"""Renderers: released text, the PDF, its log page, and the JSON report."""
