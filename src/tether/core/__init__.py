"""Django's `django.core` counterparts that build on the models: `tether.core.serializers`."""
