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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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
 * <p>Not thread-safe: start and close it from one thread. {@link #bootstrapServers()} and
 * {@link #createTopics} may be called from any thread once started.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);
    private static final String LOOPBACK = "127.0.0.1";
    private static final int NODE_ID = 1;
    private static final String BROKER_LISTENER = "PLAINTEXT";
    private static final String CONTROLLER_LISTENER = "CONTROLLER";
    /** Ports are picked free then bound by Kafka a moment later; another process may win the race. */
    private static final int START_ATTEMPTS = 3;
    private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(30);

    private final Map<String, String> overrides;
    private Path dir;
    private KafkaRaftServer server;
    private String bootstrapServers;
    private String clusterId;

    /** A broker with the default one-node settings. */
    public EmbeddedKafkaBroker() {
        this(Map.of());
    }

    /** A broker whose server properties are the defaults with {@code overrides} over them (listeners excepted). */
    public EmbeddedKafkaBroker(Map<String, String> overrides) {
        this.overrides = Map.copyOf(overrides);
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
        int brokerPort = freePort();
        int controllerPort = freePort();
        while (controllerPort == brokerPort) {
            controllerPort = freePort();
        }
        String logDir = dir.resolve("log").toString();
        Properties props = serverProperties(logDir, brokerPort, controllerPort);
        KafkaConfig config = new KafkaConfig(props, false);
        clusterId = Uuid.randomUuid().toString();
        format(config, logDir, clusterId);
        KafkaRaftServer raft = new KafkaRaftServer(config, Time.SYSTEM);
        server = raft;
        // Returns once the controller has elected itself and the broker has caught up and been unfenced.
        raft.startup();
        bootstrapServers = LOOPBACK + ":" + brokerPort;
    }

    private Properties serverProperties(String logDir, int brokerPort, int controllerPort) {
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
        p.putAll(overrides);
        // Loopback only, whatever the overrides say: the demo must not expose a port to the network.
        p.put("listeners", BROKER_LISTENER + "://" + LOOPBACK + ":" + brokerPort + ","
                + CONTROLLER_LISTENER + "://" + LOOPBACK + ":" + controllerPort);
        p.put("advertised.listeners", BROKER_LISTENER + "://" + LOOPBACK + ":" + brokerPort);
        Properties props = new Properties();
        props.putAll(p);
        return props;
    }

    /** What {@code kafka-storage format} does, in-process, without its console output. */
    private static void format(KafkaConfig config, String logDir, String clusterId) {
        try (PrintStream quiet = new PrintStream(OutputStream.nullOutputStream(), false, StandardCharsets.UTF_8)) {
            new Formatter()
                    .setPrintStream(quiet)
                    .setNodeId(config.nodeId())
                    .setClusterId(clusterId)
                    .setControllerListenerName(CONTROLLER_LISTENER)
                    .setMetadataLogDirectory(logDir)
                    .addDirectory(logDir)
                    .run();
        } catch (Exception e) {
            throw new IllegalStateException("cannot format " + logDir + ": " + e.getMessage(), e);
        }
    }

    /** {@code host:port} of the broker listener; only valid once started. */
    public String bootstrapServers() {
        if (bootstrapServers == null) {
            throw new IllegalStateException("not started");
        }
        return bootstrapServers;
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
}
