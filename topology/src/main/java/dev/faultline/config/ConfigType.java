package dev.faultline.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.faultline.catalog.event.FieldKind;
import dev.faultline.catalog.event.TypedField;
import dev.faultline.catalog.match.ServiceBinding;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * How a key's value is read: from a YAML node, and from an environment variable's text. Parsers
 * throw {@link IllegalArgumentException} with a short message that the loader collects.
 *
 * @param <T> the typed value
 */
public interface ConfigType<T> {
    /** A short name for messages and docs, e.g. {@code duration}. */
    String name();

    /** Converts a YAML node (never {@code null}; YAML {@code null} is a NullNode). */
    T parse(JsonNode node);

    /** Turns an environment variable's text into a node {@link #parse} accepts. */
    default JsonNode fromEnv(String text) {
        return TextNode.valueOf(text);
    }

    YAMLMapper INLINE = new YAMLMapper();

    ConfigType<String> STRING = scalar("string", s -> s);
    ConfigType<Integer> INT = scalar("int", s -> {
        try {
            return Integer.parseInt(s.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not an integer: '" + s + "'");
        }
    });
    ConfigType<Double> DOUBLE = scalar("number", s -> {
        try {
            double d = Double.parseDouble(s.trim());
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                throw new NumberFormatException();
            }
            return d;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a number: '" + s + "'");
        }
    });
    ConfigType<Boolean> BOOLEAN = scalar("boolean", s -> switch (s.trim().toLowerCase(Locale.ROOT)) {
        case "true" -> true;
        case "false" -> false;
        default -> throw new IllegalArgumentException("not a boolean (true/false): '" + s + "'");
    });
    ConfigType<Duration> DURATION = scalar("duration", Durations::parse);
    ConfigType<Integer> SIZE = scalar("size", Durations::parseSize);
    ConfigType<Pattern> PATTERN = scalar("regex", s -> {
        try {
            return Pattern.compile(s);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("invalid regex: " + e.getDescription());
        }
    });
    ConfigType<List<String>> STRING_LIST = list("list of strings", STRING);
    ConfigType<List<Duration>> DURATION_LIST = list("list of durations", DURATION);

    /** {@code - glob: "nefia-*"\n  catalogs: [nefia]} entries, tried in order. */
    ConfigType<List<ServiceBinding>> SERVICE_BINDINGS = new ObjectList<>("list of {glob, catalogs}", node -> {
        requireFields(node, Set.of("glob", "catalogs"));
        String glob = STRING.parse(required(node, "glob"));
        List<String> catalogs = STRING_LIST.parse(required(node, "catalogs"));
        if (glob.isBlank() || catalogs.isEmpty()) {
            throw new IllegalArgumentException("glob and catalogs must not be empty");
        }
        return new ServiceBinding(glob, catalogs);
    });

    /** {@code - topic: "nefia-*"\n  service: nefia-agent} entries, tried in order. */
    ConfigType<List<TopicBinding>> TOPIC_BINDINGS = new ObjectList<>("list of {topic, service}", node -> {
        requireFields(node, Set.of("topic", "service"));
        String topic = STRING.parse(required(node, "topic"));
        String service = STRING.parse(required(node, "service"));
        if (topic.isBlank() || service.isBlank()) {
            throw new IllegalArgumentException("topic and service must not be empty");
        }
        return new TopicBinding(topic, service);
    });

    /** {@code - path: error.code\n  kind: rpc\n  any-depth: true} entries, in priority order. */
    ConfigType<List<TypedField>> TYPED_FIELDS = new ObjectList<>("list of {path, kind, any-depth}", node -> {
        requireFields(node, Set.of("path", "kind", "any-depth"));
        String path = STRING.parse(required(node, "path"));
        FieldKind kind = enumOf(FieldKind.class).parse(node.has("kind") ? node.get("kind") : TextNode.valueOf("code"));
        boolean anyDepth = node.has("any-depth") && BOOLEAN.parse(node.get("any-depth"));
        if (path.isBlank()) {
            throw new IllegalArgumentException("path must not be empty");
        }
        return new TypedField(path, kind, anyDepth);
    });

    static <E extends Enum<E>> ConfigType<E> enumOf(Class<E> type) {
        return scalar("one of " + wires(type), s -> {
            for (E e : type.getEnumConstants()) {
                if (wire(e).equals(s.trim().toLowerCase(Locale.ROOT))) {
                    return e;
                }
            }
            throw new IllegalArgumentException("expected one of " + wires(type) + ", got '" + s + "'");
        });
    }

    /** The lower-case wire name of an enum constant ({@code EXACTLY_ONCE_V2} → {@code exactly_once_v2}). */
    static String wire(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }

    private static <E extends Enum<E>> List<String> wires(Class<E> type) {
        List<String> out = new ArrayList<>();
        for (E e : type.getEnumConstants()) {
            out.add(wire(e));
        }
        return out;
    }

    static <T> ConfigType<T> scalar(String name, Function<String, T> parser) {
        return new ConfigType<>() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public T parse(JsonNode node) {
                if (node == null || node.isNull() || node.isMissingNode()) {
                    throw new IllegalArgumentException("expected a " + name + ", got nothing");
                }
                if (!node.isValueNode()) {
                    throw new IllegalArgumentException("expected a " + name + ", got " + describe(node));
                }
                return parser.apply(node.asText());
            }
        };
    }

    /** A list: a YAML sequence; from the environment, {@code [a, b]} (YAML flow) or {@code a,b}. */
    static <T> ConfigType<List<T>> list(String name, ConfigType<T> element) {
        return new ConfigType<>() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public List<T> parse(JsonNode node) {
                return parseList(name, node, element::parse);
            }

            @Override
            public JsonNode fromEnv(String text) {
                String t = text.trim();
                if (t.startsWith("[")) {
                    return inline(t);
                }
                var array = INLINE.createArrayNode();
                if (!t.isEmpty()) {
                    for (String part : t.split(",")) {
                        array.add(part.trim());
                    }
                }
                return array;
            }
        };
    }

    /** A YAML sequence (absent or null: empty), each item parsed by {@code element}; errors name the item's index. */
    private static <T> List<T> parseList(String name, JsonNode node, Function<JsonNode, T> element) {
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            throw new IllegalArgumentException("expected a " + name + ", got " + describe(node));
        }
        List<T> out = new ArrayList<>(node.size());
        int i = 0;
        for (JsonNode item : node) {
            try {
                out.add(element.apply(item));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("[" + i + "]: " + e.getMessage());
            }
            i++;
        }
        return List.copyOf(out);
    }

    private static JsonNode inline(String text) {
        try {
            return INLINE.readTree(text);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("not valid inline YAML: " + e.getOriginalMessage());
        }
    }

    private static JsonNode required(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            throw new IllegalArgumentException("missing '" + field + "'");
        }
        return v;
    }

    private static void requireFields(JsonNode node, Set<String> allowed) {
        if (!node.isObject()) {
            throw new IllegalArgumentException("expected a mapping, got " + describe(node));
        }
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!allowed.contains(f)) {
                throw new IllegalArgumentException("unknown field '" + f + "' (allowed: " + allowed.stream().sorted().toList() + ")");
            }
        }
    }

    static String describe(JsonNode node) {
        if (node.isArray()) {
            return "a list";
        }
        if (node.isObject()) {
            return "a mapping";
        }
        return "'" + node.asText() + "'";
    }

    /** A list of small mappings; from the environment, inline YAML ({@code [{glob: a, catalogs: [b]}]}). */
    final class ObjectList<T> implements ConfigType<List<T>> {
        private final String name;
        private final Function<JsonNode, T> element;

        ObjectList(String name, Function<JsonNode, T> element) {
            this.name = name;
            this.element = element;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public List<T> parse(JsonNode node) {
            return parseList(name, node, element);
        }

        @Override
        public JsonNode fromEnv(String text) {
            return inline(text);
        }
    }

    /** Marker for structured types whose YAML mapping value is the value itself (not nested keys). */
    static boolean isStructured(ConfigType<?> type) {
        return type instanceof ObjectList<?>;
    }

}
