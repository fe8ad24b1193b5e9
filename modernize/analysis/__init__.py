"""Scan, preprocess and parse the estate, extract the model, build its graphs and store it
(model.json, model.sqlite).
"""
