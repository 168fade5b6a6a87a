"""Key store, per-subject encryption, and (later) erasure, retention and exports."""
