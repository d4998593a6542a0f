"""One module per diagnosis rule (``<rule_id_with_underscores>.py``) with POSITIVE and
NEGATIVE subjects; tests/unit/test_diagnose_rules.py runs every rule against them."""
