"""Grader-side code of the course: building releases, hidden checks, autograding.

Students never need this package; nothing a student imports comes from here.
"""
