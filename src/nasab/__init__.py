"""nasab: DNA-led identification of missing persons.

The engine (this package) has no web dependency. See docs/ for the model.
"""

__version__ = "0.1.0"
