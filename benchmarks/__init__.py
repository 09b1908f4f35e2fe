"""Benchmarks of issue 2 (``python -m benchmarks``); see README.md here."""
