// Recognises failures below HTTP: DNS, refused or reset connections, TLS, sockets closed mid-stream.
// fetch (undici) reports them as `TypeError: fetch failed` or `TypeError: terminated` with the
// system error in `cause`; the SDKs wrap that again (APIConnectionError), so the cause chain is walked.
// @see https://nodejs.org/api/errors.html#common-system-errors
// @see https://undici.nodejs.org/#/docs/api/Errors

import { ProviderError } from './errors';

const reasonsByCode: Record<string, string> = {
  ECONNREFUSED: 'the connection was refused (is the server running and the port right?)',
  ENOTFOUND: 'the host name could not be resolved',
  EAI_AGAIN: 'the DNS lookup failed temporarily',
  ECONNRESET: 'the connection was reset',
  ECONNABORTED: 'the connection was aborted',
  ETIMEDOUT: 'the connection timed out',
  EHOSTUNREACH: 'the host is unreachable',
  ENETUNREACH: 'the network is unreachable',
  EPIPE: 'the connection closed while sending',
  EPROTO: 'the TLS handshake failed',
  // What OpenSSL 3 (Node 18+) reports when an https:// URL points at a port that speaks plain HTTP.
  ERR_SSL_WRONG_VERSION_NUMBER: 'the TLS handshake failed (the server does not seem to speak HTTPS on this port; try http://)',
  UND_ERR_SOCKET: 'the connection closed unexpectedly',
  UND_ERR_CONNECT_TIMEOUT: 'connecting timed out',
  UND_ERR_CLOSED: 'the connection was closed',
  CERT_HAS_EXPIRED: 'the server\'s TLS certificate has expired',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'the server uses a self-signed TLS certificate',
  SELF_SIGNED_CERT_IN_CHAIN: 'a self-signed certificate is in the TLS chain (a proxy may be intercepting HTTPS)',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'the server\'s TLS certificate could not be verified',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'the TLS certificate issuer is unknown (a proxy may be intercepting HTTPS)',
  ERR_TLS_CERT_ALTNAME_INVALID: 'the TLS certificate does not match the host name',
};

const connectionErrorNames = new Set(['APIConnectionError', 'ConnectionError']);
const transportMessages = /^(fetch failed|terminated|other side closed|socket hang up|network error|connection error)/i;

/** A `network` ProviderError when `error` is a transport failure, otherwise undefined. */
export function networkErrorFrom(providerId: string, error: unknown, target: string): ProviderError | undefined {
  let sawTransportFailure = false;
  let reason: string | undefined;
  for (const link of causeChain(error)) {
    const code = typeof link.code === 'string' ? link.code : undefined;
    if (code && reasonsByCode[code]) {
      reason = reasonsByCode[code];
      break;
    }
    if (code?.startsWith('ERR_SSL_')) {
      reason = 'the TLS handshake failed';
      break;
    }
    if (connectionErrorNames.has(link.name) || transportMessages.test(link.message)) sawTransportFailure = true;
  }
  if (!reason && !sawTransportFailure) return undefined;
  return new ProviderError({
    kind: 'network',
    providerId,
    message: `Could not reach ${target}: ${reason ?? 'the connection failed'}.`,
    cause: error,
  });
}

export function isAbortError(error: unknown): boolean {
  for (const link of causeChain(error)) {
    if (link.name === 'AbortError' || link.name === 'APIUserAbortError' || link.name === 'RequestAbortedError') return true;
  }
  return false;
}

interface ChainLink {
  name: string;
  message: string;
  code: unknown;
}

function* causeChain(error: unknown): Generator<ChainLink> {
  let current: unknown = error;
  for (let depth = 0; depth < 8 && typeof current === 'object' && current !== null; depth++) {
    const record = current as { name?: unknown; message?: unknown; code?: unknown; cause?: unknown };
    // Stainless-generated SDK errors keep the default name 'Error'; their class name is what tells them apart.
    const constructorName = (current as { constructor?: { name?: unknown } }).constructor?.name;
    yield {
      name: typeof record.name === 'string' && record.name !== 'Error' ? record.name : typeof constructorName === 'string' ? constructorName : '',
      message: typeof record.message === 'string' ? record.message : '',
      code: record.code,
    };
    current = record.cause;
  }
}
