"""The outside world: school-year files, iCalendar feeds and rendered output.

Modules here translate between files or streams and the core's inputs and results;
they decide nothing about agreements.
"""
