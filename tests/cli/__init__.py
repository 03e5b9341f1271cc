"""Tests of the declass command."""
