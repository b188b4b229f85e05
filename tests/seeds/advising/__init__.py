"""App `advising`: seed 003's customised reverse accessor (related_name='enrolled_courses')."""
