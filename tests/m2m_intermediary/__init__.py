"""An explicit intermediary model without a ManyToManyField."""
