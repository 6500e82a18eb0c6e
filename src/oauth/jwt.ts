/**
 * A signed JWT in compact form (RFC 7519): what both identity platforms take as the app's proof,
 * Microsoft's client assertion (PS256) and Google's service-account assertion (RS256).
 */
import { constants, sign, type KeyObject } from 'node:crypto';

const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** `header.alg` picks the signature: RS256 (PKCS#1 v1.5) or PS256 (PSS, salt as long as the digest), both SHA-256. */
export function signedJwt(header: { alg: 'RS256' | 'PS256' } & Record<string, unknown>, claims: Record<string, unknown>, key: KeyObject): string {
  const input = `${part(header)}.${part(claims)}`;
  const padding = header.alg === 'PS256' ? { padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST } : {};
  return `${input}.${sign('sha256', Buffer.from(input), { key, ...padding }).toString('base64url')}`;
}
