package dev.tern.server;

import dev.tern.client.ClientOptions;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemObject;

import javax.net.ssl.SSLContext;
import java.io.Writer;
import java.math.BigInteger;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;

/**
 * Self-signed certificates made at test time for localhost and 127.0.0.1 (so clients check the host
 * name as in production), written as PEM files the way openssl writes them.
 */
final class TestCerts {
    enum Algorithm { RSA, EC }

    /** PKCS8: "PRIVATE KEY"; TRADITIONAL: openssl's "RSA PRIVATE KEY" (PKCS#1) / "EC PRIVATE KEY" (SEC1). */
    enum KeyFormat { PKCS8, TRADITIONAL }

    record Pair(Path cert, Path key) {
        /** The settings that turn TLS on with this pair. */
        Map<String, String> settings() {
            return Map.of("tls.cert-file", cert.toString(), "tls.key-file", key.toString());
        }

        /** An SSL context trusting only this certificate, as the SDK makes it. */
        SSLContext trust() {
            return ClientOptions.of(URI.create("wss://127.0.0.1/ws")).withTrustedCertificates(cert).sslContext();
        }
    }

    private TestCerts() {}

    static Pair selfSigned(Path dir, String name, Algorithm algorithm, KeyFormat format) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm.name());
        generator.initialize(algorithm == Algorithm.RSA ? 2048 : 256);
        KeyPair pair = generator.generateKeyPair();
        X500Name subject = new X500Name("CN=" + name);
        Instant now = Instant.now();
        JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject,
                BigInteger.valueOf(now.toEpochMilli()), Date.from(now.minus(Duration.ofHours(1))),
                Date.from(now.plus(Duration.ofDays(1))), subject, pair.getPublic());
        builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                new GeneralName(GeneralName.dNSName, "localhost"), new GeneralName(GeneralName.iPAddress, "127.0.0.1")}));
        String signature = algorithm == Algorithm.RSA ? "SHA256withRSA" : "SHA256withECDSA";
        X509Certificate cert = new JcaX509CertificateConverter().getCertificate(
                builder.build(new JcaContentSignerBuilder(signature).build(pair.getPrivate())));
        Pair files = new Pair(dir.resolve(name + ".crt"), dir.resolve(name + ".key"));
        write(files.cert(), cert);
        write(files.key(), format == KeyFormat.PKCS8 ? new JcaPKCS8Generator(pair.getPrivate(), null)
                : algorithm == Algorithm.EC ? sec1(pair.getPrivate()) : pair.getPrivate());
        return files;
    }

    /** As openssl writes it: the curve inside the key (BouncyCastle's writer leaves it out). */
    private static PemObject sec1(PrivateKey key) throws Exception {
        PrivateKeyInfo info = PrivateKeyInfo.getInstance(key.getEncoded());
        ECPrivateKey inner = ECPrivateKey.getInstance(info.parsePrivateKey());
        ECPrivateKey withCurve = new ECPrivateKey(256, inner.getKey(), inner.getPublicKey(),
                info.getPrivateKeyAlgorithm().getParameters());
        return new PemObject("EC PRIVATE KEY", withCurve.getEncoded());
    }

    private static void write(Path file, Object pemObject) throws Exception {
        try (Writer w = Files.newBufferedWriter(file); JcaPEMWriter pem = new JcaPEMWriter(w)) {
            pem.writeObject(pemObject);
        }
    }
}
