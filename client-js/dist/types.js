export {};
/** A channel subscription that survives reconnects. */
