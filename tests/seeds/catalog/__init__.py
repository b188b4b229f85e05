"""App `catalog`: seed 003's option 1, a plain ManyToManyField declared on Course."""
