export { createTokenVerifier, signToken, InvalidTokenError, type TokenVerifier, type TokenVerifierOptions } from './tokens';
