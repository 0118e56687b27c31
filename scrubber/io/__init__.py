"""Readers and writers for text, JSONL, CSV and stdin."""
