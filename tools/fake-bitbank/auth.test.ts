import { describe, expect, it } from 'vitest';
import { AUTH_CODES, SignatureVerifier, signBitbank } from './auth.js';

const BODY = '{"pair": "xrp_jpy", "price": "20", "amount": "1","side": "buy", "type": "limit"}';
const TIME = '1721121776490';

describe('signBitbank: the official test vectors (secret "hoge")', () => {
  it.each([
    [`${TIME}1000/v1/user/assets`, '9ec5745960d05573c8fb047cdd9191bd0c6ede26f07700bb40ecf1a3920abae8'],
    [`${TIME}/v1/user/assets`, 'f957817b95c3af6cf5e2e9dfe1503ea8088f46879d4ab73051467fd7b94f1aba'],
    [`${TIME}1000${BODY}`, '7868665738ae3f8a796224e0413c1351ddd7ec2af121db12815c0a5b74b8764c'],
    [`${TIME}${BODY}`, '8ef83c2b991765b18c95aade7678471747c06890a23a453c76238345b5c86fb8'],
  ])('%s', (message, expected) => {
    expect(signBitbank('hoge', message)).toBe(expected);
  });
});

describe('SignatureVerifier', () => {
  const verifier = (): SignatureVerifier => new SignatureVerifier('key', 'hoge');
  const timeHeaders = (signature: string, time = TIME, window = '1000') => ({
    'access-key': 'key',
    'access-signature': signature,
    'access-request-time': time,
    'access-time-window': window,
  });
  const now = Number(TIME) + 200;

  it('accepts the official time-window vectors for GET and POST', () => {
    const v = verifier();
    expect(
      v.verify(
        {
          method: 'GET',
          pathWithQuery: '/v1/user/assets',
          rawBody: '',
          headers: timeHeaders('9ec5745960d05573c8fb047cdd9191bd0c6ede26f07700bb40ecf1a3920abae8'),
        },
        now,
      ),
    ).toBeUndefined();
    expect(
      v.verify(
        {
          method: 'POST',
          pathWithQuery: '/v1/user/spot/order',
          rawBody: BODY,
          headers: timeHeaders('7868665738ae3f8a796224e0413c1351ddd7ec2af121db12815c0a5b74b8764c'),
        },
        now,
      ),
    ).toBeUndefined();
  });

  it('accepts the official nonce vectors once, then rejects the reused nonce with 20001', () => {
    const v = verifier();
    const get = {
      method: 'GET',
      pathWithQuery: '/v1/user/assets',
      rawBody: '',
      headers: {
        'access-key': 'key',
        'access-nonce': TIME,
        'access-signature': 'f957817b95c3af6cf5e2e9dfe1503ea8088f46879d4ab73051467fd7b94f1aba',
      },
    };
    expect(v.verify(get, 0)).toBeUndefined();
    expect(v.verify(get, 0)).toBe(AUTH_CODES.failed);
    const post = {
      method: 'POST',
      pathWithQuery: '/v1/user/spot/order',
      rawBody: BODY,
      headers: {
        'access-key': 'key',
        'access-nonce': TIME,
        'access-signature': '8ef83c2b991765b18c95aade7678471747c06890a23a453c76238345b5c86fb8',
      },
    };
    expect(verifier().verify(post, 0)).toBeUndefined();
  });

  it('rejects a bad signature, a wrong key, missing headers, stale and future times, bad windows', () => {
    const good = '9ec5745960d05573c8fb047cdd9191bd0c6ede26f07700bb40ecf1a3920abae8';
    const req = (headers: Record<string, string>) => ({
      method: 'GET',
      pathWithQuery: '/v1/user/assets',
      rawBody: '',
      headers,
    });
    expect(verifier().verify(req(timeHeaders(good.replace('9', '8'))), now)).toBe(AUTH_CODES.failed);
    expect(verifier().verify(req({ ...timeHeaders(good), 'access-key': 'other' }), now)).toBe(AUTH_CODES.keyNotFound);
    expect(verifier().verify(req({ 'access-key': 'key', 'access-signature': good }), now)).toBe(
      AUTH_CODES.nonceMissing,
    );
    expect(verifier().verify(req({ 'access-key': 'key', 'access-request-time': TIME }), now)).toBe(
      AUTH_CODES.signatureMissing,
    );
    expect(verifier().verify(req(timeHeaders(good)), Number(TIME) + 1001)).toBe(AUTH_CODES.requestTimeOutsideWindow);
    expect(verifier().verify(req(timeHeaders(good)), Number(TIME) - 1000)).toBe(AUTH_CODES.requestTimeOutsideWindow);
    expect(verifier().verify(req(timeHeaders(good, TIME, '60001')), now)).toBe(AUTH_CODES.timeWindowInvalid);
    expect(verifier().verify(req(timeHeaders(good, 'abc')), now)).toBe(AUTH_CODES.requestTimeInvalid);
  });
});
