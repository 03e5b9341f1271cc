"""Tests of rules/: the parser, the engine, key 2 and the leak gate."""
