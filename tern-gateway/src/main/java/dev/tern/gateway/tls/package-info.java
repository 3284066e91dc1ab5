/**
 * TLS for the gateway's port: the certificate chain and private key read from PEM files
 * ({@link dev.tern.gateway.tls.Pem}: PKCS#8, PKCS#1 RSA, SEC1 EC) and the server context built from
 * them ({@link dev.tern.gateway.tls.TlsConfig}).
 *
 * <p>Invariants: TLS 1.3 and 1.2 only, forward-secret AEAD suites only; a key that does not belong to
 * the first certificate, an encrypted key or a file without the expected block is refused at start
 * with a message naming the file; the files are read once.
 */
package dev.tern.gateway.tls;
