"""Job entry scripts: each is thin (arguments, session, one call) and runs as a Glue 5.1 job or locally."""
