"""Load scenario for workshops (`make load`); not part of the test suite."""
