"""Each lesson's predictions, one JSON file per lesson: see :mod:`httplab.teaching.predictions`."""
