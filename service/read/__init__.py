"""Readers per input format: PDF text layer, Word (DOCX) and OCR of scans."""
