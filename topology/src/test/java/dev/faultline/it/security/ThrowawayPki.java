package dev.faultline.it.security;

import dev.faultline.it.ItSupport;
import dev.faultline.kafka.EmbeddedKafkaBroker.StoreFile;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A throwaway public-key infrastructure made at test time, once per JVM, in a temporary directory
 * deleted at exit: a CA, a broker key store (certificate for {@code 127.0.0.1}/{@code localhost},
 * serverAuth), a client key store (clientAuth, for mutual TLS) and a trust store holding the CA,
 * all PKCS12 with fresh random passwords. Nothing secret is ever committed.
 *
 * <p>Keys and certificate signing are done by the JDK's {@code keytool} (seven short runs; the JDK
 * has no public API to issue certificates); assembling chains and trust stores uses
 * {@link KeyStore} in-process. Store passwords reach keytool through its environment
 * ({@code -storepass:env}), never its command line.
 */
final class ThrowawayPki {
    private static final String ALPHANUMERIC = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final long KEYTOOL_TIMEOUT_SECONDS = 120;
    private static ThrowawayPki instance;

    private final Path dir;
    private final StoreFile brokerKeyStore;
    private final StoreFile clientKeyStore;
    private final StoreFile trustStore;

    private ThrowawayPki(Path dir, StoreFile brokerKeyStore, StoreFile clientKeyStore, StoreFile trustStore) {
        this.dir = dir;
        this.brokerKeyStore = brokerKeyStore;
        this.clientKeyStore = clientKeyStore;
        this.trustStore = trustStore;
    }

    /** The JVM's PKI, made on first use. */
    static synchronized ThrowawayPki get() {
        if (instance == null) {
            instance = create();
        }
        return instance;
    }

    /** The broker's key and certificate chain (CN=localhost, SAN ip:127.0.0.1 and dns:localhost). */
    StoreFile brokerKeyStore() {
        return brokerKeyStore;
    }

    /** The client's key and certificate chain (CN=faultline-client), for mutual TLS. */
    StoreFile clientKeyStore() {
        return clientKeyStore;
    }

    /** The CA certificate alone: what brokers and clients trust. */
    StoreFile trustStore() {
        return trustStore;
    }

    /** The directory holding the stores. */
    Path directory() {
        return dir;
    }

    /** Every password of this PKI: none may ever show up in a log, a metric or a header. */
    List<String> secrets() {
        return List.of(brokerKeyStore.password(), clientKeyStore.password(), trustStore.password());
    }

    /** A random password of {@code length} letters and digits (valid in JAAS and SCRAM arguments unquoted). */
    static String randomPassword(int length) {
        StringBuilder sb = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            sb.append(ALPHANUMERIC.charAt(RANDOM.nextInt(ALPHANUMERIC.length())));
        }
        return sb.toString();
    }

    private static ThrowawayPki create() {
        try {
            Path dir = Files.createTempDirectory("faultline-pki-");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> ItSupport.deleteRecursively(dir), "faultline-pki-cleanup"));
            String caPassword = randomPassword(24);
            Path caStore = dir.resolve("ca.p12");
            keytool(caPassword, null, "-genkeypair", "-alias", "ca", "-keyalg", "EC", "-groupname", "secp256r1",
                    "-dname", "CN=Faultline Throwaway Test CA", "-ext", "bc:c=ca:true",
                    "-ext", "ku:c=keyCertSign,cRLSign", "-startdate", "-1d", "-validity", "3",
                    "-keystore", caStore.toString(), "-storetype", "PKCS12");
            Certificate caCert = load(caStore, caPassword).getCertificate("ca");

            StoreFile broker = issue(dir, "broker", "CN=localhost", "serverAuth", "san=ip:127.0.0.1,dns:localhost",
                    caStore, caPassword, caCert);
            StoreFile client = issue(dir, "client", "CN=faultline-client", "clientAuth", null, caStore, caPassword,
                    caCert);

            StoreFile trust = StoreFile.pkcs12(dir.resolve("truststore.p12"), randomPassword(24));
            KeyStore ts = KeyStore.getInstance("PKCS12");
            ts.load(null, null);
            ts.setCertificateEntry("ca", caCert);
            store(ts, trust);
            Files.delete(caStore); // the CA key is needed no more
            return new ThrowawayPki(dir, broker, client, trust);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot build the test PKI", e);
        }
    }

    /** A new key pair for {@code name}, certified by the CA, stored with the chain [leaf, CA]. */
    private static StoreFile issue(Path dir, String name, String dname, String eku, String san, Path caStore,
            String caPassword, Certificate caCert) throws IOException, GeneralSecurityException {
        StoreFile store = StoreFile.pkcs12(dir.resolve(name + ".p12"), randomPassword(24));
        String path = store.path().toString();
        keytool(store.password(), null, "-genkeypair", "-alias", name, "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", dname, "-startdate", "-1d", "-validity", "3", "-keystore", path, "-storetype", "PKCS12");
        byte[] csr = keytool(store.password(), null, "-certreq", "-alias", name, "-keystore", path,
                "-storetype", "PKCS12");
        List<String> sign = new ArrayList<>(List.of("-gencert", "-alias", "ca", "-keystore", caStore.toString(),
                "-storetype", "PKCS12", "-rfc", "-startdate", "-1d", "-validity", "3",
                "-ext", "ku:c=digitalSignature,keyAgreement", "-ext", "eku=" + eku));
        if (san != null) {
            sign.addAll(List.of("-ext", san));
        }
        byte[] signed = keytool(caPassword, csr, sign.toArray(String[]::new));
        Certificate leaf = CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(signed));

        KeyStore ks = load(store.path(), store.password());
        Key key = ks.getKey(name, store.password().toCharArray());
        ks.setKeyEntry(name, key, store.password().toCharArray(), new Certificate[] {leaf, caCert});
        store(ks, store);
        return store;
    }

    /** Runs keytool with the store password in its environment; returns its standard output. */
    private static byte[] keytool(String storePassword, byte[] stdin, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of("-J-XX:TieredStopAtLevel=1", "-J-XX:+UseSerialGC", "-J-Xmx64m"));
        command.addAll(List.of(args));
        command.addAll(List.of("-storepass:env", "PKI_STOREPASS", "-noprompt"));
        ProcessBuilder pb = new ProcessBuilder(command);
        Map<String, String> env = pb.environment();
        env.put("PKI_STOREPASS", storePassword);
        Process p = pb.start();
        try (OutputStream in = p.getOutputStream()) {
            if (stdin != null) {
                in.write(stdin);
            }
        }
        // Both outputs are a few hundred bytes: reading one after the other cannot fill a pipe.
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try (InputStream is = p.getInputStream(); InputStream es = p.getErrorStream()) {
            is.transferTo(out);
            es.transferTo(err);
        }
        try {
            if (!p.waitFor(KEYTOOL_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("keytool " + args[0] + " timed out");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new IllegalStateException("interrupted running keytool", e);
        }
        if (p.exitValue() != 0) {
            throw new IllegalStateException("keytool " + args[0] + " failed (exit " + p.exitValue() + "): "
                    + err.toString(StandardCharsets.UTF_8) + out.toString(StandardCharsets.UTF_8));
        }
        return out.toByteArray();
    }

    private static KeyStore load(Path path, String password) throws IOException, GeneralSecurityException {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(path)) {
            ks.load(in, password.toCharArray());
        }
        return ks;
    }

    private static void store(KeyStore ks, StoreFile file) throws IOException, GeneralSecurityException {
        try (OutputStream out = Files.newOutputStream(file.path())) {
            ks.store(out, file.password().toCharArray());
        }
    }

}
