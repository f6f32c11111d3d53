"""The question bank as a Markdown methodology document (`pia bank doc`).

Owns the document (markdown) and bank expressions put into plain words (words). Reads the Bank
only; imports the standard library and pia.engine, nothing else from pia.report.
"""
