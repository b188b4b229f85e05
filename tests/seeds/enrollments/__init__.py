"""App `enrollments`: seed 003's option 2, the relation through an Enrollment model."""
