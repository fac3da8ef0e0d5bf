"""Build steps of txaudit's bundled published dataset (run scripts/build_dataset.py)."""
