package dev.tern.gateway.tls;

import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the PEM files TLS is configured with, as openssl, certbot and cloud consoles write them: a
 * certificate chain (server certificate first) and an unencrypted private key in PKCS#8
 * ({@code PRIVATE KEY}), PKCS#1 ({@code RSA PRIVATE KEY}) or SEC1 ({@code EC PRIVATE KEY}) form.
 * Text outside the blocks (openssl's "Bag Attributes", comments) is ignored.
 */
public final class Pem {
    private static final Pattern BLOCK =
            Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----(.*?)-----END \\1-----", Pattern.DOTALL);

    private Pem() {}

    /** The certificates of a PEM file in file order; fails when there is none. */
    public static List<X509Certificate> certificates(Path file) throws IOException, GeneralSecurityException {
        CertificateFactory factory = CertificateFactory.getInstance("X.509");
        List<X509Certificate> chain = new ArrayList<>();
        for (Block b : blocks(file)) {
            if (b.label().equals("CERTIFICATE")) {
                chain.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(b.der())));
            }
        }
        if (chain.isEmpty()) {
            throw new GeneralSecurityException("no '-----BEGIN CERTIFICATE-----' block in " + file);
        }
        return List.copyOf(chain);
    }

    /** The first private key of a PEM file (openssl's EC key files start with an EC PARAMETERS block). */
    public static PrivateKey privateKey(Path file) throws IOException, GeneralSecurityException {
        for (Block b : blocks(file)) {
            switch (b.label()) {
                case "PRIVATE KEY" -> {
                    return pkcs8(b.der());
                }
                case "RSA PRIVATE KEY" -> {
                    return pkcs8(new PrivateKeyInfo(new AlgorithmIdentifier(PKCSObjectIdentifiers.rsaEncryption,
                            DERNull.INSTANCE), asn1(b.der())).getEncoded());
                }
                case "EC PRIVATE KEY" -> {
                    ECPrivateKey ec = ECPrivateKey.getInstance(asn1(b.der()));
                    if (ec.getParametersObject() == null) {
                        throw new GeneralSecurityException("the EC key in " + file + " names no curve");
                    }
                    return pkcs8(new PrivateKeyInfo(new AlgorithmIdentifier(X9ObjectIdentifiers.id_ecPublicKey,
                            ec.getParametersObject()), ec).getEncoded());
                }
                case "ENCRYPTED PRIVATE KEY" -> throw encrypted(file);
                default -> { }
            }
        }
        throw new GeneralSecurityException("no '-----BEGIN PRIVATE KEY-----' block in " + file);
    }

    private static PrivateKey pkcs8(byte[] der) throws GeneralSecurityException {
        String oid;
        try {
            oid = PrivateKeyInfo.getInstance(der).getPrivateKeyAlgorithm().getAlgorithm().getId();
        } catch (IllegalArgumentException e) {
            throw new GeneralSecurityException("not a PKCS#8 private key: " + e.getMessage(), e);
        }
        String algorithm = switch (oid) {
            case "1.2.840.113549.1.1.1" -> "RSA";
            case "1.2.840.10045.2.1" -> "EC";
            case "1.3.101.112" -> "Ed25519";
            case "1.3.101.113" -> "Ed448";
            default -> throw new GeneralSecurityException("unsupported key algorithm " + oid + " (use RSA, EC or Ed25519)");
        };
        return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
    }

    private static ASN1Primitive asn1(byte[] der) throws GeneralSecurityException {
        try {
            return ASN1Primitive.fromByteArray(der);
        } catch (IOException | IllegalArgumentException e) {
            throw new GeneralSecurityException("malformed key: " + e.getMessage(), e);
        }
    }

    private static GeneralSecurityException encrypted(Path file) {
        return new GeneralSecurityException("the key in " + file + " is encrypted; the server needs it unencrypted "
                + "(openssl pkey -in " + file.getFileName() + " -out plain.key) and protected by file permissions");
    }

    private record Block(String label, byte[] der) {}

    private static List<Block> blocks(Path file) throws IOException, GeneralSecurityException {
        String text = Files.readString(file, StandardCharsets.ISO_8859_1);
        List<Block> blocks = new ArrayList<>();
        Matcher m = BLOCK.matcher(text);
        while (m.find()) {
            String body = m.group(2);
            if (body.contains("Proc-Type:")) { // legacy openssl encryption headers inside the block
                throw encrypted(file);
            }
            try {
                blocks.add(new Block(m.group(1), Base64.getMimeDecoder().decode(body.strip())));
            } catch (IllegalArgumentException e) {
                throw new GeneralSecurityException("bad base64 in the " + m.group(1) + " block of " + file, e);
            }
        }
        return blocks;
    }
}
