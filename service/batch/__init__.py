"""Batch: a folder of documents released locally or on a Dask cluster."""
