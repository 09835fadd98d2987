package io.mpreg.it;

import io.mpreg.tck.TestPki;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Arrays;

/** A raw client that checks a TLS listener actively refuses it (an alert or a close, not silence). */
final class TlsProbe {
    private TlsProbe() {
    }

    /** A TLS 1.3 client context trusting {@code trustStore}, presenting {@code keyStore}'s certificate (or none). */
    static SSLContext client(Path keyStore, Path trustStore) throws Exception {
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(load(trustStore));
        KeyManagerFactory kmf = null;
        if (keyStore != null) {
            kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(load(keyStore), TestPki.PASSWORD.toCharArray());
        }
        SSLContext context = SSLContext.getInstance("TLSv1.3");
        context.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return context;
    }

    /**
     * Connects (over TLS with {@code tls}, or in plaintext when null), writes {@code first} and reads. Passes if the
     * listener fails the handshake, closes, or answers something other than {@code acceptedAnswer}; fails if it
     * answers {@code acceptedAnswer} (it let us in) or stays silent for 5 s (it did not refuse).
     */
    static void assertActivelyRefused(InetSocketAddress address, SSLContext tls, byte[] first, byte[] acceptedAnswer)
            throws IOException {
        try (Socket plain = new Socket()) {
            plain.connect(address, 5_000);
            plain.setSoTimeout(5_000);
            Socket socket = plain;
            byte[] answer;
            try {
                if (tls != null) {
                    SSLSocket ssl = (SSLSocket) tls.getSocketFactory().createSocket(plain, address.getHostString(),
                            address.getPort(), true);
                    ssl.startHandshake();
                    socket = ssl;
                }
                socket.getOutputStream().write(first);
                socket.getOutputStream().flush();
                answer = socket.getInputStream().readNBytes(acceptedAnswer.length);
            } catch (SocketTimeoutException silent) {
                throw new AssertionError("the listener at " + address + " neither answered nor refused in 5 s");
            } catch (IOException refused) {
                return; // handshake failed, or the listener reset the connection
            }
            if (Arrays.equals(answer, acceptedAnswer)) {
                throw new AssertionError("the listener at " + address + " let the probe in");
            }
            // nothing (closed on us) or anything else (a TLS alert record to a plaintext probe) is a refusal
        }
    }

    /**
     * Connects with {@code tls} and reads: passes only if the TLS layer refuses (an {@link SSLException}: a failed
     * handshake or a fatal alert such as certificate_required), not if the listener merely closes or stays silent,
     * which a listener that let the client in might also do.
     */
    static void assertTlsRefused(InetSocketAddress address, SSLContext tls) throws IOException {
        try (Socket plain = new Socket()) {
            plain.connect(address, 5_000);
            plain.setSoTimeout(5_000);
            SSLSocket ssl = (SSLSocket) tls.getSocketFactory().createSocket(plain, address.getHostString(),
                    address.getPort(), true);
            try {
                ssl.startHandshake();
                int read = ssl.getInputStream().read();
                throw new AssertionError("the listener at " + address + " completed TLS with the probe and then "
                        + (read < 0 ? "closed" : "sent data"));
            } catch (SSLException refused) {
                return;
            } catch (SocketTimeoutException silent) {
                throw new AssertionError("the listener at " + address + " completed TLS and stayed silent");
            } catch (java.net.SocketException aborted) {
                // TLS 1.3: the listener checks the client's certificate after the client's last handshake message
                // and may drop the connection (broken pipe, reset) before the client has flushed it
                return;
            }
        }
    }

    private static KeyStore load(Path file) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            store.load(in, TestPki.PASSWORD.toCharArray());
        }
        return store;
    }
}
