"""The ``declass`` command."""
