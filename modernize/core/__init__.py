"""The shared base every stage uses: the data model, typed errors, safe names, output encoding and
the output folder.
"""
