"""The lessons' engine: self-check quizzes and their banks, exercise checkers, predictions to lock in.

Pure logic over a lab; the widgets that show it live in :mod:`httplab.widgets`, which this layer
never imports.
"""
