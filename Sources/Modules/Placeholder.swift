// Placeholder until the Modules module lands.
