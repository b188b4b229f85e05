"""App `classroom`: seed 000's Course and Student, the relation declared on Student."""
