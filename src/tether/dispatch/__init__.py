"""`tether.dispatch`: Django's `django.dispatch` (Signal and receiver).

The dispatcher lives beside the model signals in tether.models.signals; this is the same class,
so a receiver connected through either name is the same connection.
"""

from tether.models.signals import Signal, receiver

__all__ = ["Signal", "receiver"]
