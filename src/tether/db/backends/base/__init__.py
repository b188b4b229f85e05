"""The vendor-neutral base classes every backend folder subclasses."""
