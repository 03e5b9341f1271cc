"""Tests of batch: local and Dask runners, the manifest, resume, a killed batch."""
