"""Event records, the run status enum and its transition table, and the EventSink protocol."""
