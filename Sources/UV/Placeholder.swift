// Placeholder until the UV module lands.
