"""Tests of the readers: PDF text layer, Word files, OCR, and the one reader."""
