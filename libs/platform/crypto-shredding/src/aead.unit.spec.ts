import { randomBytes } from 'node:crypto';
import { open, seal } from './aead';

describe('AES-256-GCM sealing', () => {
  const key = randomBytes(32);

  it('opens what it sealed, with the same key and aad only', () => {
    const sealed = seal(key, Buffer.from('Doorbraakplan Davey'), 'event-1');
    expect(open(key, sealed, 'event-1').toString()).toBe('Doorbraakplan Davey');
    expect(() => open(key, sealed, 'event-2')).toThrow();
    expect(() => open(randomBytes(32), sealed, 'event-1')).toThrow();
  });

  it('never seals twice with one IV, also across draws from the random source', () => {
    const ivs = new Set(Array.from({ length: 5_000 }, () => seal(key, Buffer.from('x'), 'a').subarray(0, 12).toString('hex')));
    expect(ivs.size).toBe(5_000);
  });
});
