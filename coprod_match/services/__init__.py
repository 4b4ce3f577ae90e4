"""Domain operations (writes). Each takes a session, flushes, and leaves the commit to its caller."""
