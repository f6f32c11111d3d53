"""Evaluating answers against a bank: `evaluate` and the Evaluation every renderer reads.

Owns the Evaluation result and its JSON form (result), checking answer values (answers), reading
answer files (answers_file), the per-bank plan (plan), the summaries (summary), answers written for
people (display) and the answers fingerprint (fingerprint). May import bank and expr; nothing in
the engine imports evaluation except pia/engine/__init__.py.
"""
