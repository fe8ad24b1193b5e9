"""Notebook views of an analysis: graphs, tables and the synthetic estate for benchmarks.
"""
