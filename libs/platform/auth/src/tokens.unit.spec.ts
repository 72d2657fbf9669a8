import { SignJWT, exportJWK, generateKeyPair } from 'jose';
import { generateKeyPairSync } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { InvalidTokenError, createTokenVerifier, signToken } from './tokens';

const issuer = 'https://idp.gm9001.test';
const audience = 'doorbraak-ledger';
const keys = generateKeyPairSync('ed25519');
const privatePem = keys.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const publicPem = keys.publicKey.export({ type: 'spki', format: 'pem' }).toString();
const sign = (claims: object = {}, expiresIn = '5m') => signToken(privatePem, { sub: 'prof-1', ...claims }, { issuer, audience, expiresIn });

describe('bearer token verification', () => {
  it('accepts a token signed by the configured key for this issuer and audience', async () => {
    const verify = await createTokenVerifier({ publicKeyPem: publicPem, issuer, audience });
    await expect(verify(await sign({ municipality: 'gm9001' }))).resolves.toMatchObject({ sub: 'prof-1', municipality: 'gm9001', iss: issuer, aud: audience });
  });

  it.each([
    ['expired', () => sign({}, '-2m'), 'the token has expired'],
    ['for another audience', () => signToken(privatePem, { sub: 'x' }, { issuer, audience: 'other', expiresIn: '5m' }), "the token's aud claim is not accepted"],
    ['from another issuer', () => signToken(privatePem, { sub: 'x' }, { issuer: 'https://evil.test', audience, expiresIn: '5m' }), "the token's iss claim is not accepted"],
    ['signed by another key', () => signToken(generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), { sub: 'x' }, { issuer, audience, expiresIn: '5m' }), 'the token is not signed by a trusted key'],
    ['unsigned (alg none)', async () => `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(JSON.stringify({ sub: 'x', iss: issuer, aud: audience, exp: 9e9 })).toString('base64url')}.`, 'the token is not a valid JWT'],
    ['not a JWT', async () => 'hello', 'the token is not a valid JWT'],
  ])('refuses a token %s', async (_case, token, reason) => {
    const verify = await createTokenVerifier({ publicKeyPem: publicPem, issuer, audience });
    await expect(verify(await token())).rejects.toEqual(new InvalidTokenError(reason));
  });

  it('remembers a verified token until it expires, then refuses it', async () => {
    jest.useFakeTimers({ now: Date.now(), doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
    try {
      const verify = await createTokenVerifier({ publicKeyPem: publicPem, issuer, audience });
      const token = await sign({ municipality: 'gm9001' }, '5m');
      const first = await verify(token);
      await expect(verify(token)).resolves.toBe(first);
      jest.setSystemTime(Date.now() + 5 * 60_000 + 61_000);
      await expect(verify(token)).rejects.toEqual(new InvalidTokenError('the token has expired'));
    } finally {
      jest.useRealTimers();
    }
  });

  it('refuses an HMAC token even when its secret is the public key (algorithm confusion)', async () => {
    const verify = await createTokenVerifier({ publicKeyPem: publicPem, issuer, audience });
    const forged = await new SignJWT({ sub: 'x' }).setProtectedHeader({ alg: 'HS256' }).setIssuer(issuer).setAudience(audience).setExpirationTime('5m').sign(new TextEncoder().encode(publicPem));
    await expect(verify(forged)).rejects.toBeInstanceOf(InvalidTokenError);
  });

  it('fetches the keys of an identity provider from its JWKS URL', async () => {
    const { publicKey, privateKey } = await generateKeyPair('ES256');
    const jwks = { keys: [{ ...(await exportJWK(publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' }] };
    const server = createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(jwks)));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const verify = await createTokenVerifier({ jwksUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks`, issuer, audience });
      const token = await new SignJWT({ sub: 'dir-1' }).setProtectedHeader({ alg: 'ES256', kid: 'k1' }).setIssuer(issuer).setAudience(audience).setExpirationTime('5m').sign(privateKey);
      await expect(verify(token)).resolves.toMatchObject({ sub: 'dir-1' });
      const unknownKid = await new SignJWT({ sub: 'dir-1' }).setProtectedHeader({ alg: 'ES256', kid: 'k2' }).setIssuer(issuer).setAudience(audience).setExpirationTime('5m').sign(privateKey);
      await expect(verify(unknownKid)).rejects.toEqual(new InvalidTokenError('the token is not signed by a trusted key'));
    } finally {
      server.close();
    }
  });
});
