"""Grading students' submissions: the batch, one warm grading process and one sandboxed kernel per
submission, the judge, the records, and the results folder."""
