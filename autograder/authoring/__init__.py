"""Building the course: tidy and check the source notebooks, generate the releases with nbgrader, publish
the student edition, and keep nbgrader's formgrader from bypassing the grader."""
