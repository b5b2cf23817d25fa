/** A reason the local gateway cannot start that the user can act on: printed as its message alone, no stack. */
export class StartupError extends Error {}
