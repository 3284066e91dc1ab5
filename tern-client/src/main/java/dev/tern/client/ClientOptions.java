package dev.tern.client;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Collection;

/**
 * @param uri            ws://host:port/ws, or wss://host:port/ws for a server (or proxy) with TLS
 * @param binary         protobuf binary frames (true) or JSON text frames (false)
 * @param requestTimeout a request with no response in this time fails (sends are retried instead)
 * @param reconnect      reconnect and resume automatically after a dropped connection
 * @param pingInterval   heartbeat interval; keep it well below the server's idle timeout
 * @param sslContext     for wss://: whom to trust; null trusts what the JDK trusts (its cacerts)
 * @param deliveryReceipts send delivered markers on its own for other users' messages the client hands
 *                       to the listener (coalesced per conversation; see {@link TernClient#markDelivered})
 */
public record ClientOptions(URI uri, boolean binary, Duration requestTimeout, boolean reconnect, Duration pingInterval,
                            SSLContext sslContext, boolean deliveryReceipts) {
    public ClientOptions {
        if (uri == null) {
            throw new IllegalArgumentException("uri is required");
        }
        if (!"ws".equalsIgnoreCase(uri.getScheme()) && !"wss".equalsIgnoreCase(uri.getScheme())) {
            throw new IllegalArgumentException("uri must be ws:// or wss://, got " + uri);
        }
    }

    public ClientOptions(URI uri, boolean binary, Duration requestTimeout, boolean reconnect, Duration pingInterval) {
        this(uri, binary, requestTimeout, reconnect, pingInterval, null);
    }

    /** Delivery receipts on, as by default. */
    public ClientOptions(URI uri, boolean binary, Duration requestTimeout, boolean reconnect, Duration pingInterval,
                         SSLContext sslContext) {
        this(uri, binary, requestTimeout, reconnect, pingInterval, sslContext, true);
    }

    public static ClientOptions of(URI uri) {
        return new ClientOptions(uri, true, Duration.ofSeconds(10), true, Duration.ofSeconds(20));
    }

    public ClientOptions withBinary(boolean b) {
        return new ClientOptions(uri, b, requestTimeout, reconnect, pingInterval, sslContext, deliveryReceipts);
    }

    public ClientOptions withReconnect(boolean r) {
        return new ClientOptions(uri, binary, requestTimeout, r, pingInterval, sslContext, deliveryReceipts);
    }

    public ClientOptions withSslContext(SSLContext context) {
        return new ClientOptions(uri, binary, requestTimeout, reconnect, pingInterval, context, deliveryReceipts);
    }

    /** Whether the client sends delivered markers on its own (on by default). */
    public ClientOptions withDeliveryReceipts(boolean on) {
        return new ClientOptions(uri, binary, requestTimeout, reconnect, pingInterval, sslContext, on);
    }

    /**
     * Trusts exactly the certificates in a PEM file (a private CA, or a server's self-signed
     * certificate) instead of the JDK's trust store. The host name is still checked against them.
     */
    public ClientOptions withTrustedCertificates(Path pemFile) {
        try (InputStream in = Files.newInputStream(pemFile)) {
            Collection<? extends Certificate> certs = CertificateFactory.getInstance("X.509").generateCertificates(in);
            if (certs.isEmpty()) {
                throw new IllegalArgumentException("no certificate in " + pemFile);
            }
            KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
            trusted.load(null, null);
            int i = 0;
            for (Certificate c : certs) {
                trusted.setCertificateEntry("trusted-" + i++, c);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trusted);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, tmf.getTrustManagers(), null);
            return withSslContext(context);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + pemFile, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot use the certificates in " + pemFile + ": " + e.getMessage(), e);
        }
    }
}
