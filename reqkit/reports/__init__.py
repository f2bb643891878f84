"""Status, SLA and flow metrics computed from the files and their history."""
