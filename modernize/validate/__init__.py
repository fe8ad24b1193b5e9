"""Prove translations equivalent: scenarios, the GnuCOBOL twin and the Python side in the sandbox,
verdicts, and the optional model refine pass.
"""
