"""Specifications, business rules, backlog and Jira export, drafted from the model and checked
against it.
"""
