"""The bench's Django app (app_label "benchapp"): the same model as tether's contender."""
