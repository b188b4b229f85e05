"""App `press`: the Article/Publication models of Django's many-to-many documentation."""
