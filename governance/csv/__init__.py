"""The record as CSV: the format, the tenure import and export, and the other exports."""
