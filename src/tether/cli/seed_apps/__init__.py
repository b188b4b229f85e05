"""The models of the seed tours, one module per app, written as the seeds write them.

`press`: Publication and Article of Django's many-to-many docs (seeds 001, 002, 004).
`school`: seed 000's Course and Student, the relation declared on Student.
`registrar`: seed 003's Student and Course through an Enrollment model, with the reverse
accessor renamed `enrolled_courses` as the seed's last section suggests.
They register in `registry`, a private one, so importing them never adds tables to
`tether migrate --run-syncdb` or to the test database.
"""

from tether.apps import Apps

registry = Apps()

__all__ = ["registry"]
