// Placeholder until the Persistence module lands.
