"""The question bank: its immutable model, and reading and checking a bank folder.

Owns the Bank and its parts (model), the problem catalogue (problems), position-keeping YAML
(yamlpos), and the loader with its per-file readers (meta, questions, rules, profiles, shape,
assemble, graph). May import expr, to compile the bank's conditions and formulas; never evaluation.
model and problems import nothing else from the engine, so every subpackage may use them.
"""
