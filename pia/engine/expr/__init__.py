"""The expression language of conditions and formulas: parse, check, compile into closures.

Owns the whitelist (grammar), the load-time checker (check, value_types, positions), the closure
builder (build, comparisons) and the never-raising runtime values (runtime); compiler is the entry
point. May import only bank.model and bank.problems (locations, Expression, problem codes); never
the bank loader nor evaluation.
"""
