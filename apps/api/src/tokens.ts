/** Injection tokens for what main.ts builds before Nest starts. */
export const LEDGER = Symbol('Ledger');
export const LOGGER = Symbol('Logger');
export const API_CONFIG = Symbol('ApiConfig');
export const TOKEN_VERIFIER = Symbol('TokenVerifier');
