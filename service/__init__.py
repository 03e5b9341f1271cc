"""declass service: the edges around the rules engine (CLI, HTTP, rendering)."""
