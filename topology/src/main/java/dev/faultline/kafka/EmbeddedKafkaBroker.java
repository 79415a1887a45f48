package dev.faultline.kafka;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import dev.faultline.kafka.client.TopicReadiness;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.CreateTopicsResult;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Kafka cluster (one process acting as KRaft controller and broker) started
 * in-process, listening on {@code 127.0.0.1} only, with a freshly formatted temporary log
 * directory that {@link #close()} deletes.
 *
 * <p>Settings fit one node: every internal topic has replication factor 1 and min ISR 1 (so
 * transactions and {@code exactly_once_v2} work), internal topics have few partitions and the group
 * rebalance delay is 0 (so it starts and serves in seconds on two cores).
 *
 * <p>Besides its plain listener ({@link #bootstrapServers()}, also used between broker and
 * controller and by {@link #createTopics}) it can expose, when its {@link Options} say so, a
 * {@code SASL_SSL} listener ({@link #saslSslBootstrapServers()}: SCRAM-SHA-512 and/or PLAIN users
 * over TLS) and a mutual-TLS listener ({@link #mutualTlsBootstrapServers()}: {@code SSL} with
 * {@code ssl.client.auth=required}), for tests of clients configured with them. Key and trust stores
 * are given as files; generating them is the caller's business.
 *
 * <p>Not thread-safe: start and close it from one thread. {@link #bootstrapServers()} and
 * {@link #createTopics} may be called from any thread once started.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);
    private static final String LOOPBACK = "127.0.0.1";
    private static final int NODE_ID = 1;
    private static final String BROKER_LISTENER = "PLAINTEXT";
    private static final String CONTROLLER_LISTENER = "CONTROLLER";
    private static final String SASL_SSL_LISTENER = "SASL_SSL";
    private static final String MTLS_LISTENER = "MTLS";
    /** Ports are picked free then bound by Kafka a moment later; another process may win the race. */
    private static final int START_ATTEMPTS = 3;
    private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(30);

    private final Options options;
    private Path dir;
    private KafkaRaftServer server;
    private String bootstrapServers;
    private String saslSslBootstrapServers;
    private String mutualTlsBootstrapServers;
    private String clusterId;

    /** A broker with the default one-node settings. */
    public EmbeddedKafkaBroker() {
        this(Options.defaults());
    }

    /** A broker whose server properties are the defaults with {@code overrides} over them (listeners excepted). */
    public EmbeddedKafkaBroker(Map<String, String> overrides) {
        this(Options.builder().overrides(overrides).build());
    }

    /** A broker with the given options: overrides and optional secured listeners. */
    public EmbeddedKafkaBroker(Options options) {
        this.options = Objects.requireNonNull(options, "options");
    }

    /**
     * Formats a fresh log directory and starts the server; returns once the broker is registered,
     * unfenced and serving.
     *
     * @throws IllegalStateException when already started or the server fails to start
     */
    public EmbeddedKafkaBroker start() {
        if (server != null) {
            throw new IllegalStateException("already started");
        }
        long began = System.nanoTime();
        RuntimeException last = null;
        for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
            try {
                startOnce();
                LOG.info("Embedded Kafka broker {} (cluster {}) started in {} ms", bootstrapServers, clusterId,
                        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began));
                return this;
            } catch (RuntimeException e) {
                last = e;
                stopQuietly();
                if (!causedByBind(e)) {
                    break;
                }
                LOG.warn("Embedded Kafka broker port was taken; retrying ({}/{})", attempt, START_ATTEMPTS);
            }
        }
        throw new IllegalStateException("embedded Kafka broker failed to start: " + last.getMessage(), last);
    }

    private void startOnce() {
        try {
            dir = Files.createTempDirectory("faultline-kafka-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<Integer> ports = distinctFreePorts(4);
        int brokerPort = ports.get(0);
        int controllerPort = ports.get(1);
        int saslSslPort = ports.get(2);
        int mtlsPort = ports.get(3);
        String logDir = dir.resolve("log").toString();
        Properties props = serverProperties(logDir, brokerPort, controllerPort, saslSslPort, mtlsPort);
        KafkaConfig config = new KafkaConfig(props, false);
        clusterId = Uuid.randomUuid().toString();
        // SCRAM credentials go into the bootstrap metadata, so they exist before the first client connects.
        format(config, logDir, clusterId, options.scramArguments());
        KafkaRaftServer raft = new KafkaRaftServer(config, Time.SYSTEM);
        server = raft;
        // Returns once the controller has elected itself and the broker has caught up and been unfenced.
        raft.startup();
        bootstrapServers = LOOPBACK + ":" + brokerPort;
        saslSslBootstrapServers = options.saslSsl() ? LOOPBACK + ":" + saslSslPort : null;
        mutualTlsBootstrapServers = options.mutualTls() ? LOOPBACK + ":" + mtlsPort : null;
    }

    private Properties serverProperties(String logDir, int brokerPort, int controllerPort, int saslSslPort,
            int mtlsPort) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("process.roles", "broker,controller");
        p.put("node.id", Integer.toString(NODE_ID));
        p.put("controller.quorum.voters", NODE_ID + "@" + LOOPBACK + ":" + controllerPort);
        p.put("controller.listener.names", CONTROLLER_LISTENER);
        p.put("inter.broker.listener.name", BROKER_LISTENER);
        p.put("listener.security.protocol.map", BROKER_LISTENER + ":PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
        p.put("log.dirs", logDir);
        p.put("auto.create.topics.enable", "true");
        p.put("num.partitions", "1");
        p.put("default.replication.factor", "1");
        p.put("min.insync.replicas", "1");
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "5");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("transaction.state.log.num.partitions", "5");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        // Two cores: few threads, and no 128 MB dedupe buffer for a few compacted changelogs.
        p.put("num.network.threads", "2");
        p.put("num.io.threads", "4");
        p.put("background.threads", "2");
        p.put("num.recovery.threads.per.data.dir", "1");
        p.put("log.cleaner.threads", "1");
        p.put("log.cleaner.dedupe.buffer.size", Integer.toString(8 * 1024 * 1024));
        p.putAll(options.overrides());
        // Loopback only, whatever the overrides say: the demo must not expose a port to the network.
        StringBuilder protocols = new StringBuilder(BROKER_LISTENER + ":PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
        StringBuilder advertised = new StringBuilder(BROKER_LISTENER + "://" + LOOPBACK + ":" + brokerPort);
        if (options.saslSsl()) {
            protocols.append(',').append(SASL_SSL_LISTENER).append(":SASL_SSL");
            advertised.append(',').append(SASL_SSL_LISTENER).append("://").append(LOOPBACK).append(':').append(saslSslPort);
            String prefix = listenerPrefix(SASL_SSL_LISTENER);
            p.put(prefix + "sasl.enabled.mechanisms", options.saslMechanisms().stream()
                    .map(SaslMechanism::mechanismName).collect(Collectors.joining(",")));
            for (SaslMechanism m : options.saslMechanisms()) {
                p.put(prefix + m.mechanismName().toLowerCase(Locale.ROOT) + ".sasl.jaas.config",
                        m.serverJaasConfig(options.saslUsers()));
            }
            putStore(p, prefix + "ssl.keystore.", options.saslSslKeyStore());
            p.put(prefix + "ssl.key.password", options.saslSslKeyStore().password());
        }
        if (options.mutualTls()) {
            protocols.append(',').append(MTLS_LISTENER).append(":SSL");
            advertised.append(',').append(MTLS_LISTENER).append("://").append(LOOPBACK).append(':').append(mtlsPort);
            String prefix = listenerPrefix(MTLS_LISTENER);
            putStore(p, prefix + "ssl.keystore.", options.mutualTlsKeyStore());
            p.put(prefix + "ssl.key.password", options.mutualTlsKeyStore().password());
            putStore(p, prefix + "ssl.truststore.", options.mutualTlsTrustStore());
            p.put(prefix + "ssl.client.auth", "required");
        }
        p.put("listener.security.protocol.map", protocols.toString());
        p.put("listeners", advertised + "," + CONTROLLER_LISTENER + "://" + LOOPBACK + ":" + controllerPort);
        p.put("advertised.listeners", advertised.toString());
        Properties props = new Properties();
        props.putAll(p);
        return props;
    }

    private static String listenerPrefix(String listener) {
        return "listener.name." + listener.toLowerCase(Locale.ROOT) + ".";
    }

    private static void putStore(Map<String, String> p, String prefix, StoreFile store) {
        p.put(prefix + "location", store.path().toString());
        p.put(prefix + "password", store.password());
        p.put(prefix + "type", store.type());
    }

    /** What {@code kafka-storage format} does, in-process, without its console output. */
    private static void format(KafkaConfig config, String logDir, String clusterId, List<String> scramArguments) {
        try (PrintStream quiet = new PrintStream(OutputStream.nullOutputStream(), false, StandardCharsets.UTF_8)) {
            Formatter formatter = new Formatter()
                    .setPrintStream(quiet)
                    .setNodeId(config.nodeId())
                    .setClusterId(clusterId)
                    .setControllerListenerName(CONTROLLER_LISTENER)
                    .setMetadataLogDirectory(logDir)
                    .addDirectory(logDir);
            if (!scramArguments.isEmpty()) {
                formatter.setScramArguments(scramArguments);
            }
            formatter.run();
        } catch (Exception e) {
            // With SCRAM users the formatter's message may quote their arguments, passwords included.
            String why = scramArguments.isEmpty() ? e.getMessage() : e.getClass().getSimpleName();
            throw new IllegalStateException("cannot format " + logDir + ": " + why, e);
        }
    }

    /** {@code host:port} of the broker listener; only valid once started. */
    public String bootstrapServers() {
        if (bootstrapServers == null) {
            throw new IllegalStateException("not started");
        }
        return bootstrapServers;
    }

    /**
     * {@code host:port} of the {@code SASL_SSL} listener; only valid once started with
     * {@link Options.Builder#saslSsl}.
     */
    public String saslSslBootstrapServers() {
        bootstrapServers();
        if (saslSslBootstrapServers == null) {
            throw new IllegalStateException("no SASL_SSL listener configured");
        }
        return saslSslBootstrapServers;
    }

    /**
     * {@code host:port} of the mutual-TLS listener (security protocol {@code SSL}, client
     * certificates required); only valid once started with {@link Options.Builder#mutualTls}.
     */
    public String mutualTlsBootstrapServers() {
        bootstrapServers();
        if (mutualTlsBootstrapServers == null) {
            throw new IllegalStateException("no mutual-TLS listener configured");
        }
        return mutualTlsBootstrapServers;
    }

    /** The options this broker was created with. */
    public Options options() {
        return options;
    }

    public String clusterId() {
        return clusterId;
    }

    /** The temporary directory holding the log; deleted by {@link #close()}. */
    public Path directory() {
        return dir;
    }

    /** Creates topics with replication factor 1; topics that already exist are left as they are. */
    public void createTopics(int partitions, String... names) {
        List<NewTopic> topics = new ArrayList<>();
        for (String name : names) {
            topics.add(new NewTopic(name, partitions, (short) 1));
        }
        createTopics(topics);
    }

    /** Creates the given topics; topics that already exist are left as they are. */
    public void createTopics(Collection<NewTopic> topics) {
        Objects.requireNonNull(topics, "topics");
        try (Admin admin = Admin.create(adminConfig())) {
            CreateTopicsResult result = admin.createTopics(topics);
            for (NewTopic t : topics) {
                try {
                    result.values().get(t.name()).get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("cannot create topic " + t.name() + ": "
                                + e.getCause().getMessage(), e.getCause());
                    }
                }
            }
            // Callers produce at once (the demo's generator, the tests); see TopicReadiness for why that must wait.
            TopicReadiness.awaitLeaders(admin, topics.stream().map(NewTopic::name).toList(), ADMIN_TIMEOUT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("timed out creating topics", e);
        }
    }

    /** Admin client settings for this broker: bootstrap servers and bounded timeouts. */
    public Map<String, Object> adminConfig() {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) ADMIN_TIMEOUT.toMillis());
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        return config;
    }

    /** Stops the server and deletes the log directory. Idempotent. */
    @Override
    public void close() {
        stopQuietly();
    }

    private void stopQuietly() {
        KafkaRaftServer s = server;
        server = null;
        bootstrapServers = null;
        saslSslBootstrapServers = null;
        mutualTlsBootstrapServers = null;
        if (s != null) {
            try {
                s.shutdown();
                s.awaitShutdown();
            } catch (RuntimeException e) {
                LOG.warn("Embedded Kafka broker did not shut down cleanly: {}", e.toString());
            }
        }
        Path d = dir;
        dir = null;
        if (d != null) {
            deleteRecursively(d);
        }
    }

    private static List<Integer> distinctFreePorts(int n) {
        Set<Integer> ports = new LinkedHashSet<>();
        while (ports.size() < n) {
            ports.add(freePort());
        }
        return List.copyOf(ports);
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(LOOPBACK))) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on " + LOOPBACK, e);
        }
    }

    private static boolean causedByBind(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof BindException || (t.getMessage() != null && t.getMessage().contains("Address already in use"))) {
                return true;
            }
        }
        return false;
    }

    static void deleteRecursively(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException exc) throws IOException {
                    Files.deleteIfExists(d);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            LOG.warn("Could not delete {}: {}", root, e.toString());
        }
    }
    /** A SASL mechanism the {@code SASL_SSL} listener can offer. */
    public enum SaslMechanism {
        /** Salted challenge-response; users are created in the bootstrap metadata at format time. */
        SCRAM_SHA_512("SCRAM-SHA-512", "org.apache.kafka.common.security.scram.ScramLoginModule"),
        /** Username and password sent over TLS; users are listed in the listener's JAAS configuration. */
        PLAIN("PLAIN", "org.apache.kafka.common.security.plain.PlainLoginModule");

        private final String mechanismName;
        private final String loginModule;

        SaslMechanism(String mechanismName, String loginModule) {
            this.mechanismName = mechanismName;
            this.loginModule = loginModule;
        }

        /** The name clients put in {@code sasl.mechanism}. */
        public String mechanismName() {
            return mechanismName;
        }

        /** The client {@code sasl.jaas.config} for {@code username}/{@code password} with this mechanism. */
        public String clientJaasConfig(String username, String password) {
            return loginModule + " required username=\"" + username + "\" password=\"" + password + "\";";
        }

        String serverJaasConfig(Map<String, String> users) {
            StringBuilder jaas = new StringBuilder(loginModule).append(" required");
            if (this == PLAIN) {
                users.forEach((user, password) -> jaas.append(" user_").append(user).append("=\"").append(password)
                        .append('"'));
            }
            return jaas.append(';').toString();
        }
    }

    /**
     * A key or trust store file: its path, password and type (e.g. {@code PKCS12}). Its
     * {@link #toString()} never shows the password.
     */
    public record StoreFile(Path path, String password, String type) {
        public StoreFile {
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(password, "password");
            Objects.requireNonNull(type, "type");
        }

        /** A PKCS12 store. */
        public static StoreFile pkcs12(Path path, String password) {
            return new StoreFile(path, password, "PKCS12");
        }

        @Override
        public String toString() {
            return "StoreFile[path=" + path + ", password=[hidden], type=" + type + "]";
        }
    }

    /**
     * What an {@link EmbeddedKafkaBroker} runs with besides its fixed one-node settings: server
     * property overrides (listeners excepted) and the optional secured listeners. Immutable.
     */
    public static final class Options {
        /** User names and passwords go into JAAS and SCRAM format arguments unquoted: keep them plain. */
        private static final Pattern CREDENTIAL = Pattern.compile("[A-Za-z0-9._-]{1,128}");
        private static final Options DEFAULTS = builder().build();

        private final Map<String, String> overrides;
        private final Set<SaslMechanism> saslMechanisms;
        private final Map<String, String> saslUsers;
        private final StoreFile saslSslKeyStore;
        private final StoreFile mutualTlsKeyStore;
        private final StoreFile mutualTlsTrustStore;

        private Options(Builder b) {
            this.overrides = Map.copyOf(b.overrides);
            this.saslMechanisms = b.saslMechanisms.isEmpty() ? Set.of()
                    : Collections.unmodifiableSet(EnumSet.copyOf(b.saslMechanisms));
            this.saslUsers = Collections.unmodifiableMap(new LinkedHashMap<>(b.saslUsers));
            this.saslSslKeyStore = b.saslSslKeyStore;
            this.mutualTlsKeyStore = b.mutualTlsKeyStore;
            this.mutualTlsTrustStore = b.mutualTlsTrustStore;
        }

        /** Only the plain listener, no overrides. */
        public static Options defaults() {
            return DEFAULTS;
        }

        public static Builder builder() {
            return new Builder();
        }

        public Map<String, String> overrides() {
            return overrides;
        }

        /** Whether a {@code SASL_SSL} listener is exposed. */
        public boolean saslSsl() {
            return saslSslKeyStore != null;
        }

        public Set<SaslMechanism> saslMechanisms() {
            return saslMechanisms;
        }

        /** User name to password, for every SASL mechanism offered. */
        public Map<String, String> saslUsers() {
            return saslUsers;
        }

        public StoreFile saslSslKeyStore() {
            return saslSslKeyStore;
        }

        /** Whether a mutual-TLS listener is exposed. */
        public boolean mutualTls() {
            return mutualTlsKeyStore != null;
        }

        public StoreFile mutualTlsKeyStore() {
            return mutualTlsKeyStore;
        }

        public StoreFile mutualTlsTrustStore() {
            return mutualTlsTrustStore;
        }

        /** {@code kafka-storage format --add-scram} arguments creating every SCRAM user. */
        List<String> scramArguments() {
            if (!saslMechanisms.contains(SaslMechanism.SCRAM_SHA_512)) {
                return List.of();
            }
            List<String> args = new ArrayList<>();
            saslUsers.forEach((user, password) -> args.add(SaslMechanism.SCRAM_SHA_512.mechanismName()
                    + "=[name=" + user + ",password=" + password + "]"));
            return args;
        }

        /** Never shows passwords. */
        @Override
        public String toString() {
            return "Options[overrides=" + overrides.keySet() + ", saslSsl=" + (saslSsl() ? saslMechanisms
                    + " users=" + saslUsers.keySet() : "no") + ", mutualTls=" + mutualTls() + "]";
        }

        /** Builds {@link Options}. */
        public static final class Builder {
            private final Map<String, String> overrides = new LinkedHashMap<>();
            private final Set<SaslMechanism> saslMechanisms = new LinkedHashSet<>();
            private final Map<String, String> saslUsers = new LinkedHashMap<>();
            private StoreFile saslSslKeyStore;
            private StoreFile mutualTlsKeyStore;
            private StoreFile mutualTlsTrustStore;

            private Builder() {
            }

            /** Server properties over the defaults (the listener settings always win). */
            public Builder overrides(Map<String, String> overrides) {
                this.overrides.putAll(overrides);
                return this;
            }

            /**
             * Exposes a {@code SASL_SSL} listener offering {@code mechanisms} to {@code users} (name to
             * password; letters, digits, '.', '_', '-'), presenting the key and certificate in
             * {@code keyStore} (its key password is the store password).
             */
            public Builder saslSsl(StoreFile keyStore, Map<String, String> users, SaslMechanism... mechanisms) {
                Objects.requireNonNull(keyStore, "keyStore");
                if (mechanisms.length == 0) {
                    throw new IllegalArgumentException("at least one SASL mechanism");
                }
                if (users.isEmpty()) {
                    throw new IllegalArgumentException("at least one SASL user");
                }
                users.forEach((user, password) -> {
                    if (!CREDENTIAL.matcher(user).matches() || !CREDENTIAL.matcher(password).matches()) {
                        throw new IllegalArgumentException("SASL user names and passwords must match "
                                + CREDENTIAL.pattern() + " (user '" + user + "')");
                    }
                });
                this.saslSslKeyStore = keyStore;
                this.saslMechanisms.clear();
                this.saslMechanisms.addAll(List.of(mechanisms));
                this.saslUsers.clear();
                this.saslUsers.putAll(users);
                return this;
            }

            /**
             * Exposes a listener with security protocol {@code SSL} that requires a client
             * certificate trusted by {@code trustStore}, presenting {@code keyStore}.
             */
            public Builder mutualTls(StoreFile keyStore, StoreFile trustStore) {
                this.mutualTlsKeyStore = Objects.requireNonNull(keyStore, "keyStore");
                this.mutualTlsTrustStore = Objects.requireNonNull(trustStore, "trustStore");
                return this;
            }

            public Options build() {
                return new Options(this);
            }
        }
    }
}
