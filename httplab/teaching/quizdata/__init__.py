"""Question banks for :mod:`httplab.teaching.quiz`, one JSON file per lesson (the answer keys live only here)."""
