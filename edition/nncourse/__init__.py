"""Student-facing helpers of the course: loading the data, and the checks test cells use.

Nothing here solves an exercise: whatever a student can import, a student can call.
"""
