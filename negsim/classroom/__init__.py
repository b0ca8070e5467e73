"""Teaching material: exercises, worksheets, grading and the interactive report page."""
