"""Hidden tests, one module per assignment; the source notebooks call them in their hidden-test blocks."""
