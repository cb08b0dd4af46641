"""Question banks for :mod:`httplab.quiz`, one JSON file per lesson (the answer keys live only here)."""
