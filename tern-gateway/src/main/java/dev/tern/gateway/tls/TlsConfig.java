package dev.tern.gateway.tls;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;

import javax.net.ssl.SSLException;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * The main port's TLS identity, validated on construction: the key must belong to the first
 * certificate, so a swapped or stale file fails the start instead of every handshake.
 *
 * @param chain the server certificate first, then the intermediates a client needs to reach its root
 * @param key   the server certificate's private key
 */
public record TlsConfig(List<X509Certificate> chain, PrivateKey key) {
    /** TLS 1.2 and 1.3 only: older versions have known attacks and no client of ours needs them. */
    static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};
    /**
     * Forward secrecy and AEAD only (Mozilla's "intermediate" profile without finite-field DHE); the
     * TLS 1.3 suites first. Suites the provider lacks are dropped, so the list also suits OpenSSL.
     */
    static final List<String> CIPHERS = List.of(
            "TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");

    public TlsConfig {
        if (chain == null || chain.isEmpty()) {
            throw new IllegalArgumentException("the certificate chain is empty");
        }
        if (key == null) {
            throw new IllegalArgumentException("the private key is missing");
        }
        chain = List.copyOf(chain);
        if (!belongsTo(key, chain.getFirst())) {
            throw new IllegalArgumentException("the private key does not belong to the first certificate ("
                    + chain.getFirst().getSubjectX500Principal().getName()
                    + "); the certificate file must start with the server's own certificate");
        }
    }

    /** A new server context (the default provider: OpenSSL when netty-tcnative is present, else the JDK). */
    public SslContext serverContext() {
        try {
            return SslContextBuilder.forServer(key, chain.toArray(X509Certificate[]::new))
                    .protocols(PROTOCOLS)
                    .ciphers(CIPHERS, SupportedCipherSuiteFilter.INSTANCE)
                    .build();
        } catch (SSLException e) {
            throw new IllegalArgumentException("cannot set up TLS with this certificate and key: " + e.getMessage(), e);
        }
    }

    /** Signs a random challenge with the key and checks it with the certificate's public key. */
    private static boolean belongsTo(PrivateKey key, X509Certificate cert) {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "EdDSA", "Ed25519", "Ed448" -> "EdDSA";
            default -> throw new IllegalArgumentException("unsupported key algorithm " + key.getAlgorithm()
                    + " (use RSA, EC or Ed25519)");
        };
        byte[] challenge = new byte[32];
        new SecureRandom().nextBytes(challenge);
        try {
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(challenge);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(cert.getPublicKey());
            verifier.update(challenge);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false; // a key of another type than the certificate's
        }
    }
}
