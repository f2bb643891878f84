"""Requirements in and out: CSV, Excel, JSON, ReqIF, Doorstop, issue forms."""
