"""Pure domain layer: ids, states, records, errors, planning and hashing. No I/O."""
