"""Optional applications built on tether's public API (as `django.contrib`)."""
