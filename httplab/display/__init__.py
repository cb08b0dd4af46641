"""How results look: small HTML pieces, state charts and the one theme every colour comes from.

The upper layers (experiments, teaching, widgets) use it; it knows nothing of them.
"""
