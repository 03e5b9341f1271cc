"""declass: reads US classification markings and releases what a policy allows.

The repository keeps its top-level folders: ``rules`` and ``service`` are linked
in here, so that they install as ``declass.rules`` and ``declass.service`` only.
"""
