package dev.faultline.catalogs;

import dev.faultline.config.FaultlineConfig;
import dev.faultline.config.FaultlineKeys;
import dev.faultline.kafka.client.TopicReadiness;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** The catalog topic protocol (see the package documentation): limits, headers, hashing, the topic itself. */
public final class CatalogTopic {
    /** Header: {@code yaml} or {@code json}, as the value is read. */
    public static final String FORMAT = "faultline.catalog.format";
    /** Header: the name of the file the document was published from (no directories). */
    public static final String FILE = "faultline.catalog.file";
    /** Header: who published it ({@code user@host}). */
    public static final String PUBLISHER = "faultline.catalog.publisher";
    /** Header: lower-case hex SHA-256 of the value. */
    public static final String SHA256 = "faultline.catalog.sha256";

    /**
     * Largest document accepted: below Kafka's default 1 MiB record limit with room for key and
     * headers (the loader's own file limit is larger; a topic record cannot be).
     */
    public static final int MAX_DOCUMENT_BYTES = 900 * 1024;
    /** Header values are cut to this many characters (they only ever appear in log lines). */
    static final int MAX_HEADER_CHARS = 256;

    private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(30);
    /** Client-prefixed passthrough keys (see config/faultline.yaml) that reach only one client. */
    private static final List<String> CLIENT_PREFIXES = List.of("main.consumer.", "restore.consumer.",
            "global.consumer.", "consumer.", "producer.", "admin.");

    private CatalogTopic() {
    }

    /** The topic a config names ({@code topics.catalog}). */
    public static String name(FaultlineConfig config) {
        return config.get(FaultlineKeys.TOPICS_CATALOG);
    }

    /** Lower-case hex SHA-256 of {@code bytes}. */
    public static String sha256(byte[] bytes) {
        try {
            return java.util.HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }

    /** The headers {@code publish} writes for a document. */
    public static Headers headers(CatalogDocument doc, String publisher) {
        Headers h = new RecordHeaders();
        h.add(FORMAT, utf8(doc.format().wire()));
        if (doc.file() != null) {
            h.add(FILE, utf8(doc.file()));
        }
        if (publisher != null) {
            h.add(PUBLISHER, utf8(cut(publisher)));
        }
        h.add(SHA256, utf8(doc.sha256()));
        return h;
    }

    /** The last value of header {@code name} as text, cut to a bounded length, or {@code null}. */
    static String header(Headers headers, String name) {
        if (headers == null) {
            return null;
        }
        Header h = headers.lastHeader(name);
        return h == null || h.value() == null ? null : cut(new String(h.value(), StandardCharsets.UTF_8));
    }

    /** {@code user@host} of this process, for the publisher header. */
    public static String publisher() {
        String user = System.getProperty("user.name", "unknown");
        String host;
        try {
            host = java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException | SecurityException e) {
            host = "unknown-host";
        }
        return cut(user + "@" + host);
    }

    /** Admin client settings: the {@code kafka.*} passthrough, with {@code admin.*} keys applying to it alone. */
    public static Map<String, Object> adminConfig(FaultlineConfig config) {
        return clientConfig(config, "admin.");
    }

    /** An idempotent, acks=all producer of String keys and byte[] values, with {@code producer.*} keys applied. */
    public static Map<String, Object> producerConfig(FaultlineConfig config) {
        Map<String, Object> c = clientConfig(config, "producer.");
        c.put(ProducerConfig.ACKS_CONFIG, "all");
        c.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        c.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        c.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return c;
    }

    private static Map<String, Object> clientConfig(FaultlineConfig config, String own) {
        Map<String, Object> c = new HashMap<>();
        Map<String, String> kafka = config.kafkaProperties();
        for (Map.Entry<String, String> e : kafka.entrySet()) {
            if (CLIENT_PREFIXES.stream().noneMatch(e.getKey()::startsWith)) {
                c.put(e.getKey(), e.getValue());
            }
        }
        for (Map.Entry<String, String> e : kafka.entrySet()) {
            if (e.getKey().startsWith(own)) {
                c.put(e.getKey().substring(own.length()), e.getValue());
            }
        }
        return c;
    }

    /**
     * Creates {@code topic} compacted with one partition when it does not exist (racing creators
     * are fine). Returns a warning when the existing topic is not compacted (documents of replaced
     * keys would then be kept until retention deletes them, or lost), else empty.
     *
     * @param replicationFactor -1 for the broker default
     * @throws KafkaAdminException when the topic neither exists nor can be created
     */
    public static Optional<String> ensure(Admin admin, String topic, int replicationFactor) {
        try {
            Collection<String> existing = admin.listTopics().names().get(timeoutMs(), TimeUnit.MILLISECONDS);
            if (!existing.contains(topic)) {
                NewTopic t = new NewTopic(topic, Optional.of(1),
                        replicationFactor == -1 ? Optional.empty() : Optional.of((short) replicationFactor))
                        .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
                try {
                    admin.createTopics(List.of(t)).all().get(timeoutMs(), TimeUnit.MILLISECONDS);
                    // `catalog publish` produces next: not before the new partition is served (TopicReadiness)
                    try {
                        TopicReadiness.awaitLeaders(admin, List.of(topic), ADMIN_TIMEOUT);
                    } catch (IllegalStateException e) {
                        throw new KafkaAdminException("catalog topic " + topic + " was created but is not served: "
                                + e.getMessage(), e);
                    }
                    return Optional.empty();
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
            }
            ConfigResource r = new ConfigResource(ConfigResource.Type.TOPIC, topic);
            Config cfg = admin.describeConfigs(List.of(r)).all().get(timeoutMs(), TimeUnit.MILLISECONDS).get(r);
            ConfigEntry policy = cfg == null ? null : cfg.get(TopicConfig.CLEANUP_POLICY_CONFIG);
            if (policy != null && !policy.value().contains(TopicConfig.CLEANUP_POLICY_COMPACT)) {
                return Optional.of("catalog topic " + topic + " has cleanup.policy=" + policy.value()
                        + "; it should be compact, or catalogs disappear when retention deletes them");
            }
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaAdminException("interrupted while checking catalog topic " + topic, e);
        } catch (ExecutionException e) {
            throw new KafkaAdminException("catalog topic " + topic + " does not exist and could not be created: "
                    + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new KafkaAdminException("timed out after " + ADMIN_TIMEOUT + " checking catalog topic " + topic, e);
        }
    }

    /** {@link #ensure(Admin, String, int)} with an admin client of the config's settings. */
    public static Optional<String> ensure(FaultlineConfig config) {
        try (Admin admin = Admin.create(adminConfig(config))) {
            return ensure(admin, name(config), config.get(FaultlineKeys.REPLICATION_FACTOR));
        }
    }

    private static long timeoutMs() {
        return ADMIN_TIMEOUT.toMillis();
    }

    static String cut(String s) {
        return s.length() <= MAX_HEADER_CHARS ? s : s.substring(0, MAX_HEADER_CHARS);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** The catalog topic could not be checked or created. */
    public static final class KafkaAdminException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        KafkaAdminException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
