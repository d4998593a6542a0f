"""Pieces shared by the nginx and Apache models (reading user files lives in loader.py)."""
