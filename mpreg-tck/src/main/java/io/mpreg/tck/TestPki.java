package io.mpreg.tck;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A throw-away public key infrastructure for TLS tests, made with the JDK's own {@code keytool}: a certificate
 * authority with its trust store, and PKCS12 key stores for members whose certificates it signs. Make a second
 * {@code TestPki} for a rogue authority whose members must be refused. Keys are EC P-256; certificates are valid for
 * two days. Every store uses the password {@link #PASSWORD}.
 *
 * @since 0.1.0
 */
public final class TestPki {
    /** The password of every store made here. */
    public static final String PASSWORD = "mpreg-test";
    private static final long KEYTOOL_TIMEOUT_SECONDS = 60;

    private final Path dir;
    private final String name;
    private final Path caStore;
    private final Path caCertificate;
    private final Path trustStore;

    private TestPki(Path dir, String name) {
        this.dir = dir;
        this.name = name;
        this.caStore = dir.resolve(name + "-ca.p12");
        this.caCertificate = dir.resolve(name + "-ca.pem");
        this.trustStore = dir.resolve(name + "-trust.p12");
    }

    /** A new authority named {@code name}, its files written under {@code dir}. */
    public static TestPki create(Path dir, String name) {
        TestPki pki = new TestPki(dir, name);
        pki.keytool("-genkeypair", "-alias", "ca", "-keyalg", "EC", "-groupname", "secp256r1", "-dname",
                "CN=" + name + " test CA", "-ext", "bc:c", "-validity", "2", "-keystore", pki.caStore.toString(),
                "-storetype", "PKCS12", "-storepass", PASSWORD);
        pki.keytool("-exportcert", "-rfc", "-alias", "ca", "-keystore", pki.caStore.toString(), "-storepass",
                PASSWORD, "-file", pki.caCertificate.toString());
        pki.keytool("-importcert", "-noprompt", "-alias", "ca", "-file", pki.caCertificate.toString(), "-keystore",
                pki.trustStore.toString(), "-storetype", "PKCS12", "-storepass", PASSWORD);
        return pki;
    }

    /** The trust store holding this authority's certificate. */
    public Path trustStore() {
        return trustStore;
    }

    /**
     * A key store for member {@code member}: a key pair and a certificate (CN = member) signed by this authority,
     * with the authority's certificate in its chain.
     */
    public Path issue(String member) {
        return issue(member, member, null);
    }

    /**
     * As {@link #issue}, but the certificate's two days of validity ended eight days ago: a member whose certificate
     * expired, which every TLS peer must refuse.
     *
     * @since 0.3.0
     */
    public Path issueExpired(String member) {
        return issue(member, member + "-expired", "-10d");
    }

    private Path issue(String member, String file, String startDate) {
        Path store = dir.resolve(name + "-" + file + ".p12");
        Path request = dir.resolve(name + "-" + file + ".csr");
        Path certificate = dir.resolve(name + "-" + file + ".pem");
        keytool("-genkeypair", "-alias", "member", "-keyalg", "EC", "-groupname", "secp256r1", "-dname",
                "CN=" + member, "-validity", "2", "-keystore", store.toString(), "-storetype", "PKCS12",
                "-storepass", PASSWORD);
        keytool("-certreq", "-alias", "member", "-keystore", store.toString(), "-storepass", PASSWORD, "-file",
                request.toString());
        List<String> gencert = new ArrayList<>(List.of("-gencert", "-rfc", "-alias", "ca", "-keystore",
                caStore.toString(), "-storepass", PASSWORD, "-infile", request.toString(), "-outfile",
                certificate.toString(), "-validity", "2", "-ext", "ku:c=digitalSignature", "-ext",
                "eku=serverAuth,clientAuth"));
        if (startDate != null) {
            gencert.addAll(List.of("-startdate", startDate));
        }
        keytool(gencert.toArray(String[]::new));
        keytool("-importcert", "-noprompt", "-alias", "ca", "-file", caCertificate.toString(), "-keystore",
                store.toString(), "-storepass", PASSWORD);
        keytool("-importcert", "-alias", "member", "-file", certificate.toString(), "-keystore", store.toString(),
                "-storepass", PASSWORD);
        return store;
    }

    private void keytool(String... args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(KEYTOOL_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("keytool did not finish: " + command);
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException("keytool failed (" + process.exitValue() + "): " + command + "\n"
                        + new String(output, StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run keytool: " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running keytool", e);
        }
        if (!Files.isDirectory(dir)) {
            throw new IllegalStateException("PKI directory vanished: " + dir);
        }
    }
}
