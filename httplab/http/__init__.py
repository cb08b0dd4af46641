"""Protocol facts the server and the client share, with no I/O: grammar, status codes, the fault contract."""
