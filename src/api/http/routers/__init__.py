"""One router per resource. Routes parse, make one service or view call, and answer."""
