package dev.faultline.bench;

import dev.faultline.catalog.load.CatalogLoader;
import dev.faultline.catalog.match.CatalogIndex;
import dev.faultline.catalog.model.Catalog;
import dev.faultline.catalog.model.CatalogEntry;
import dev.faultline.catalog.model.CatalogSet;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * A deterministic (seeded) mixed log corpus for the matcher benchmarks: {@code n} UTF-8 lines of
 * 150–400 bytes each, in fixed proportions, with every code drawn from the tokens of the loaded
 * catalogs.
 *
 * <p>Composition (line {@code i} gets kind {@code i % 8}, so the proportions are exact and the
 * kinds are interleaved the way a real topic interleaves them):
 * <ul>
 *   <li>25% {@link Kind#JSON_TYPED}: JSON whose code sits in a typed field: flat {@code error_code},
 *       a JSON-RPC envelope {@code error.code} (a number, sometimes with a nested
 *       {@code data.error_code}), {@code data.error_code}, or ECS {@code error.code}; about 1 in 16 is a
 *       value no catalog holds (reported as unknown by Faultline, invisible to a regex);</li>
 *   <li>25% {@link Kind#JSON_MESSAGE}: JSON with the code only inside the message text
 *       ({@code message}, {@code msg} or {@code error}), one or two codes;</li>
 *   <li>25% {@link Kind#TEXT}: plain application text, RFC 3164 and RFC 5424 syslog and logfmt;
 *       three in four carry a code;</li>
 *   <li>12.5% {@link Kind#NEAR_MISS}: lines full of tokens that contain a code but are not one
 *       ({@code 0xE2001F}, {@code E20010}, {@code SSH_AUTH_FAILED_TOTAL},
 *       {@code task.not_found_handler}, {@code ORD-E2001-77}, {@code -320011}, …), and one in four with
 *       a context-only word in plain prose ({@code merge conflict}, {@code TIMEOUT}) that a regex
 *       reports and Faultline, by design, does not;</li>
 *   <li>12.5% {@link Kind#INFO}: ordinary lines with no code at all.</li>
 * </ul>
 * Context-only tokens (plain words, lower-case snake_case, RPC numbers) appear in free text of
 * non-near-miss lines only with code context ({@code code=CONFLICT}, {@code (Exists)}), so that
 * Faultline and the regex baseline must agree there.
 */
public final class Corpus {

    /** What a line is meant to exercise. */
    public enum Kind {
        JSON_TYPED, JSON_MESSAGE, TEXT, NEAR_MISS, INFO;

        /** Line {@code i}'s kind: 2/8 typed, 2/8 message, 2/8 text, 1/8 near-miss, 1/8 info. */
        static Kind of(int i) {
            switch (i % 8) {
                case 0:
                case 4:
                    return JSON_TYPED;
                case 1:
                case 5:
                    return JSON_MESSAGE;
                case 2:
                case 6:
                    return TEXT;
                case 3:
                    return NEAR_MISS;
                default:
                    return INFO;
            }
        }
    }

    public static final int DEFAULT_SIZE = 10_000;
    public static final long DEFAULT_SEED = 20261121L;
    static final int MIN_BYTES = 150;
    static final int MAX_BYTES = 400;

    private final byte[][] lines;
    private final Kind[] kinds;

    private Corpus(byte[][] lines, Kind[] kinds) {
        this.lines = lines;
        this.kinds = kinds;
    }

    public byte[][] lines() {
        return lines;
    }

    public Kind kind(int i) {
        return kinds[i];
    }

    public int size() {
        return lines.length;
    }

    public static Corpus generate(CatalogSet catalogs, int n, long seed) {
        Generator g = new Generator(catalogs, new SplittableRandom(seed));
        byte[][] lines = new byte[n][];
        Kind[] kinds = new Kind[n];
        for (int i = 0; i < n; i++) {
            kinds[i] = Kind.of(i);
            lines[i] = g.line(kinds[i]).getBytes(StandardCharsets.UTF_8);
        }
        return new Corpus(lines, kinds);
    }

    /** Composition and sizes, one line per kind. */
    public String describe() {
        Map<Kind, long[]> stats = new EnumMap<>(Kind.class); // count, bytes, min, max
        long total = 0;
        for (int i = 0; i < lines.length; i++) {
            long[] s = stats.computeIfAbsent(kinds[i], k -> new long[] {0, 0, Long.MAX_VALUE, 0});
            s[0]++;
            s[1] += lines[i].length;
            s[2] = Math.min(s[2], lines[i].length);
            s[3] = Math.max(s[3], lines[i].length);
            total += lines[i].length;
        }
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("corpus: %d lines, %d bytes, mean %.1f B/line%n", lines.length, total,
                (double) total / lines.length));
        for (Map.Entry<Kind, long[]> e : stats.entrySet()) {
            long[] s = e.getValue();
            sb.append(String.format("  %-12s %5d lines (%4.1f%%)  mean %5.1f B  min %3d  max %3d%n", e.getKey(), s[0],
                    100.0 * s[0] / lines.length, (double) s[1] / s[0], s[2], s[3]));
        }
        return sb.toString();
    }

    /** Prints the composition and a few lines of each kind: {@code java -cp benchmarks.jar dev.faultline.bench.Corpus}. */
    public static void main(String[] args) {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : DEFAULT_SIZE;
        CatalogSet set = new CatalogLoader().loadBundled().orThrow();
        Corpus c = generate(set, n, DEFAULT_SEED);
        System.out.print(c.describe());
        for (Kind k : Kind.values()) {
            System.out.println("-- " + k);
            int shown = 0;
            for (int i = 0; i < c.size() && shown < 6; i++) {
                if (c.kind(i) == k) {
                    System.out.println(new String(c.lines[i], StandardCharsets.UTF_8));
                    shown++;
                }
            }
        }
    }

    /** Builds the lines; all randomness comes from one seeded generator. */
    private static final class Generator {
        private static final String[] SERVICES = {
            "nefia-agent", "nefia-gateway", "agent-tasks-api", "foundry-mcp", "vault-rpc", "nps-gateway",
            "billing-worker", "checkout-svc"
        };
        private static final String[] HOSTS = {"node-3", "node-17", "ip-10-4-2-19", "web-2", "db-primary", "k8s-w-07"};
        private static final String[] LOGGERS = {
            "c.f.nefia.SshPool", "c.f.tasks.LeaseManager", "c.f.mcp.ToolRouter", "c.f.vault.RpcServer",
            "c.f.nps.FrameCodec", "o.a.k.clients.NetworkClient"
        };
        private static final String[] THREADS = {"main", "pool-3-thread-2", "worker-11", "grpc-default-executor-4",
            "kafka-producer-network-thread"};
        private static final String[] METHODS = {"tasks/claim", "tasks/get", "vault/read", "vault/list", "spec/update",
            "ssh/exec", "frames/subscribe"};
        private static final String[] PATHS = {"/api/v2/tasks", "/api/v2/projects", "/vault/notes", "/mcp/tools/call",
            "/nwp/query", "/healthz"};
        private static final String[] USERS = {"deploy", "alice", "svc-ci", "bob", "root"};
        private static final String[] REGIONS = {"eu-west-1", "us-east-2", "ap-south-1"};
        private static final String[] AGENTS = {
            "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36", "curl/8.5.0", "okhttp/4.12.0",
            "Go-http-client/2.0", "python-requests/2.32.3"
        };

        /** Failure descriptions without a code, for lines whose code sits in a typed field. */
        private static final String[] PLAIN_FAILURES = {
            "ssh session to %h failed after %n attempts",
            "request %r rejected by upstream, retry scheduled in %nms",
            "tool call %m failed",
            "could not apply config to %h, rolling back",
            "lease for task %n lost while running step %n",
            "frame decode failed on stream %n",
        };
        /** Failure sentences; {@code %s} is where a code phrase goes. */
        private static final String[] CODE_SENTENCES = {
            "ssh session to %h failed: %s after %n attempts",
            "request %r failed with %s; retry scheduled in %nms",
            "upstream returned %s for GET %p/%n",
            "job %r aborted: %s while running step %n of 12",
            "tool call %m rejected: %s",
            "giving up on %h after %n retries, last failure %s",
            "could not apply config to %h: %s, rolling back",
            "frame decode failed on stream %n: %s",
        };
        /** Ordinary sentences, no code. */
        private static final String[] INFO_SENTENCES = {
            "GET %p/%n 200 in %nms",
            "connected to broker kafka-2:9092 after %nms",
            "lease renewed for task %n by worker %h",
            "user %u logged in from 10.2.%b.%b",
            "flushed %n records to segment 000%n.log",
            "scheduled %n jobs for tenant acme-%n",
            "health check ok, p99 latency %nms",
            "cache warmed with %n entries in %nms",
        };
        /** Prose in which a context-only token is an ordinary word (a regex reports it; Faultline must not). */
        private static final String[] PROSE_CONTEXT_WORDS = {
            "resolved merge conflict in %n files, rebasing onto main",
            "retrying after TIMEOUT on attempt %n, backoff doubled",
            "feature flag Exists check passed for tenant acme-%n",
            "the lookup returned not_found for key user-%n, falling back to defaults",
            "status UNAVAILABLE reported by probe, will retry in %nms",
        };

        private final SplittableRandom rnd;
        private final List<String> distinct = new ArrayList<>();
        private final List<String> contextOnly = new ArrayList<>();
        private final List<String> allStrings = new ArrayList<>();
        private final List<String> rpc = new ArrayList<>();
        /** {rpc number, code} of every entry that has an RPC code, for envelopes whose data names the entry. */
        private final List<String[]> rpcEntries = new ArrayList<>();
        private final List<String> eCodes = new ArrayList<>();
        private final List<String> upperSnake = new ArrayList<>();
        private final List<String> dotted = new ArrayList<>();
        private final List<String> hyphenated = new ArrayList<>();
        private final List<String> camel = new ArrayList<>();

        Generator(CatalogSet catalogs, SplittableRandom rnd) {
            this.rnd = rnd;
            CatalogIndex index = CatalogIndex.of(catalogs);
            Set<String> strings = new LinkedHashSet<>();
            Set<String> rpcs = new LinkedHashSet<>();
            for (Catalog c : catalogs.catalogs()) {
                for (CatalogEntry e : c.entries().values()) {
                    strings.addAll(e.stringTokens());
                    if (e.rpcCode() != null) {
                        rpcs.add(Integer.toString(e.rpcCode()));
                        rpcEntries.add(new String[] {Integer.toString(e.rpcCode()), e.code()});
                    }
                    if (e.eCode() != null && !eCodes.contains(e.eCode())) {
                        eCodes.add(e.eCode());
                    }
                }
            }
            for (String t : strings) {
                allStrings.add(t);
                (index.needsContext(t) ? contextOnly : distinct).add(t);
                if (t.indexOf('.') > 0) {
                    dotted.add(t);
                } else if (t.indexOf('-') > 0) {
                    hyphenated.add(t);
                } else if (t.indexOf('_') > 0 && t.equals(t.toUpperCase())) {
                    upperSnake.add(t);
                } else if (index.needsContext(t) && Character.isUpperCase(t.charAt(0))
                        && !t.equals(t.toUpperCase())) {
                    camel.add(t);
                }
            }
            rpc.addAll(rpcs);
            // stable order whatever the catalog maps do
            Collections.sort(allStrings);
            Collections.sort(distinct);
            Collections.sort(contextOnly);
            Collections.sort(rpc);
            Collections.sort(upperSnake);
            Collections.sort(dotted);
            Collections.sort(hyphenated);
            Collections.sort(camel);
            eCodes.sort(null);
        }

        String line(Kind kind) {
            int target = MIN_BYTES + rnd.nextInt(MAX_BYTES - MIN_BYTES - 40);
            for (int attempt = 0; ; attempt++) {
                String s = switch (kind) {
                    case JSON_TYPED -> jsonTyped(target);
                    case JSON_MESSAGE -> jsonMessage(target);
                    case TEXT -> text(target);
                    case NEAR_MISS -> nearMiss(target);
                    case INFO -> info(target);
                };
                int len = s.getBytes(StandardCharsets.UTF_8).length;
                if (len >= MIN_BYTES && len <= MAX_BYTES) {
                    return s;
                }
                if (attempt > 50) {
                    throw new IllegalStateException("cannot fit a " + kind + " line in " + MIN_BYTES + "–"
                            + MAX_BYTES + " bytes: " + s);
                }
                target = MIN_BYTES + rnd.nextInt(60);
            }
        }

        // ---- the kinds ----

        private String jsonTyped(int target) {
            boolean unknown = rnd.nextInt(16) == 0;
            String code = unknown ? pick(new String[] {"E_QUOTA_SOFT", "ERR_UPSTREAM_7", "X-LEGACY-42"})
                    : pick(allStrings);
            Json j = new Json();
            switch (rnd.nextInt(4)) {
                case 0: // flat application log
                    j.str("@timestamp", ts()).str("level", "ERROR").str("service", pick(SERVICES))
                            .str("host", pick(HOSTS)).str("error_code", code)
                            .str("message", sentence(pick(PLAIN_FAILURES), null));
                    break;
                case 1: { // JSON-RPC envelope: the number is the typed code, sometimes with data.error_code
                    String[] rpcEntry = rpcEntries.get(rnd.nextInt(rpcEntries.size()));
                    String number = rpcEntry[0];
                    String dataCode = unknown ? code : rpcEntry[1];
                    j.str("ts", ts()).str("service", pick(SERVICES)).str("jsonrpc", "2.0").num("id", rnd.nextInt(100000))
                            .raw("error", "{\"code\":" + number + ",\"message\":\"" + sentence(pick(PLAIN_FAILURES), null) + "\""
                                    + (rnd.nextBoolean() ? ",\"data\":{\"error_code\":\"" + dataCode + "\",\"method\":\""
                                            + pick(METHODS) + "\"}" : "")
                                    + "}");
                    break;
                }
                case 2: // data.error_code in a tool/task result
                    j.str("time", ts()).str("level", "warn").str("service", pick(SERVICES))
                            .str("msg", sentence(pick(PLAIN_FAILURES), null))
                            .raw("data", "{\"error_code\":\"" + code + "\",\"tool\":\"" + pick(METHODS)
                                    + "\",\"request_id\":\"" + reqId() + "\"}");
                    break;
                default: // ECS
                    j.str("@timestamp", ts()).str("log.level", "error").str("ecs.version", "8.11.0")
                            .str("service.name", pick(SERVICES)).str("host.name", pick(HOSTS))
                            .str("message", sentence(pick(PLAIN_FAILURES), null))
                            .raw("error", "{\"code\":\"" + code + "\",\"type\":\"ServiceException\"}");
                    break;
            }
            return j.pad(target).close();
        }

        private String jsonMessage(int target) {
            String phrase = codePhrase();
            if (rnd.nextInt(4) == 0) {
                phrase = phrase + ", then " + codePhrase();
            }
            Json j = new Json();
            String field = pick(new String[] {"message", "message", "msg", "error"});
            j.str("time", ts()).str("level", "error").str("logger", pick(LOGGERS)).str("thread", pick(THREADS));
            if (!field.equals("message")) {
                j.str("service", pick(SERVICES));
            }
            j.str(field, sentence(pick(CODE_SENTENCES), phrase));
            if (field.equals("error")) {
                j.str("message", sentence(pick(INFO_SENTENCES), null).replace("200", "500"));
            }
            return j.pad(target).close();
        }

        private String text(int target) {
            String body = rnd.nextInt(4) == 3 ? sentence(pick(INFO_SENTENCES), null)
                    : sentence(pick(CODE_SENTENCES), codePhrase());
            StringBuilder sb = new StringBuilder();
            switch (rnd.nextInt(7)) {
                case 0:
                case 1:
                case 2: // plain application log
                    sb.append(ts()).append(' ').append(pick(new String[] {"ERROR", "WARN", "ERROR"})).append(" [")
                            .append(pick(THREADS)).append("] ").append(pick(LOGGERS)).append(" - ").append(body);
                    break;
                case 3:
                case 4: // RFC 3164 syslog
                    sb.append('<').append(8 + rnd.nextInt(4) + 8 * rnd.nextInt(3)).append(">Nov ")
                            .append(10 + rnd.nextInt(18)).append(' ').append(clock()).append(' ')
                            .append(pick(HOSTS)).append(' ').append(pick(SERVICES)).append('[')
                            .append(1000 + rnd.nextInt(30000)).append("]: ").append(body);
                    break;
                case 5: // RFC 5424 syslog
                    sb.append('<').append(11 + 8 * rnd.nextInt(3)).append(">1 ").append(ts()).append(' ')
                            .append(pick(HOSTS)).append(' ').append(pick(SERVICES)).append(' ')
                            .append(1000 + rnd.nextInt(30000)).append(" - - ").append(body);
                    break;
                default: { // logfmt: the code in a typed field or in msg
                    sb.append("ts=").append(ts()).append(" level=error service=").append(pick(SERVICES));
                    if (rnd.nextBoolean()) {
                        sb.append(" msg=\"").append(sentence(pick(PLAIN_FAILURES), null))
                                .append("\" error_code=").append(pick(distinct));
                    } else {
                        sb.append(" msg=\"").append(body).append('"');
                    }
                    while (sb.length() < target - 20) {
                        sb.append(' ').append(pick(new String[] {"trace_id=" + hex(32), "duration_ms=" + rnd.nextInt(5000),
                            "region=" + pick(REGIONS), "attempt=" + rnd.nextInt(6), "pod=" + pick(HOSTS) + "-"
                                + hex(5)}));
                    }
                    return sb.toString();
                }
            }
            return padText(sb, target);
        }

        private String nearMiss(int target) {
            String body;
            if (rnd.nextInt(4) == 0) {
                body = sentence(pick(PROSE_CONTEXT_WORDS), null);
            } else {
                body = nearMissSentence() + "; " + nearMissSentence();
            }
            switch (rnd.nextInt(3)) {
                case 0: {
                    Json j = new Json().str("time", ts()).str("level", "info").str("service", pick(SERVICES))
                            .str("message", body);
                    return j.pad(target).close();
                }
                case 1:
                    return padText(new StringBuilder(ts()).append(" INFO [").append(pick(THREADS)).append("] ")
                            .append(pick(LOGGERS)).append(" - ").append(body), target);
                default:
                    return padText(new StringBuilder("<14>Nov ").append(10 + rnd.nextInt(18)).append(' ')
                            .append(clock()).append(' ').append(pick(HOSTS)).append(' ').append(pick(SERVICES))
                            .append(": ").append(body), target);
            }
        }

        private String info(int target) {
            String body = sentence(pick(INFO_SENTENCES), null);
            switch (rnd.nextInt(3)) {
                case 0: {
                    Json j = new Json().str("@timestamp", ts()).str("level", "INFO").str("service", pick(SERVICES))
                            .str("host", pick(HOSTS)).str("message", body).num("status", 200)
                            .num("duration_ms", rnd.nextInt(900));
                    return j.pad(target).close();
                }
                case 1:
                    return padText(new StringBuilder(ts()).append(" INFO [").append(pick(THREADS)).append("] ")
                            .append(pick(LOGGERS)).append(" - ").append(body), target);
                default:
                    return "ts=" + ts() + " level=info service=" + pick(SERVICES) + " msg=\"" + body + "\" trace_id="
                            + hex(32) + " span_id=" + hex(16) + " region=" + pick(REGIONS) + " duration_ms="
                            + rnd.nextInt(900) + (target > 220 ? " user_agent=\"" + pick(AGENTS) + "\"" : "");
            }
        }

        // ---- pieces ----

        /** A code as it is written in free text; context-only tokens always come with code context. */
        private String codePhrase() {
            int r = rnd.nextInt(10);
            if (r < 7) {
                String t = pick(distinct);
                switch (rnd.nextInt(4)) {
                    case 0:
                        return t;
                    case 1:
                        return "(" + t + ")";
                    case 2:
                        return t + ".";
                    default:
                        return "error " + t;
                }
            }
            if (r < 9) {
                String t = pick(contextOnly);
                return pick(new String[] {"code=" + t, "error: " + t, "(" + t + ")", "[" + t + "]", "error_code=" + t});
            }
            return pick(new String[] {"rpc error " + pick(rpc), "(" + pick(rpc) + ")", "code=" + pick(rpc)});
        }

        private String nearMissSentence() {
            return switch (rnd.nextInt(9)) {
                case 0 -> "register dump 0x" + pick(eCodes) + "F at offset " + rnd.nextInt(4096);
                case 1 -> "firmware status " + pick(eCodes) + rnd.nextInt(10) + " ignored";
                case 2 -> "metric " + pick(upperSnake) + "_TOTAL=" + rnd.nextInt(900) + " exported";
                case 3 -> "registered " + pick(dotted) + "_handler on bus " + rnd.nextInt(9);
                case 4 -> "order ORD-" + pick(eCodes) + "-" + (10 + rnd.nextInt(90)) + " shipped";
                case 5 -> "counter moved by " + pick(rpc) + rnd.nextInt(10) + " units";
                case 6 -> "topic " + pick(hyphenated) + "-" + rnd.nextInt(9) + " compacted";
                case 7 -> "loaded class " + pick(camel) + "Handler from plugin " + rnd.nextInt(20);
                default -> "env NEFIA_" + pick(upperSnake) + "=1 and lib" + pick(upperSnake).toLowerCase() + ".so";
            };
        }

        /** Fills {@code %h %n %r %p %m %u} with random values and {@code %s} with {@code phrase}. */
        private String sentence(String template, String phrase) {
            StringBuilder sb = new StringBuilder(template.length() + 40);
            for (int i = 0; i < template.length(); i++) {
                char c = template.charAt(i);
                if (c != '%' || i + 1 == template.length()) {
                    sb.append(c);
                    continue;
                }
                char k = template.charAt(++i);
                switch (k) {
                    case 'h':
                        sb.append(pick(HOSTS));
                        break;
                    case 'n':
                        sb.append(rnd.nextInt(1, 5000));
                        break;
                    case 'r':
                        sb.append(reqId());
                        break;
                    case 'p':
                        sb.append(pick(PATHS));
                        break;
                    case 'm':
                        sb.append(pick(METHODS));
                        break;
                    case 'u':
                        sb.append(pick(USERS));
                        break;
                    case 'b':
                        sb.append(rnd.nextInt(256));
                        break;
                    case 's':
                        String p = phrase == null ? "" : phrase;
                        // "E2001." only where the sentence ends
                        sb.append(p.endsWith(".") && i + 1 < template.length() ? p.substring(0, p.length() - 1) : p);
                        break;
                    default:
                        sb.append('%').append(k);
                        break;
                }
            }
            return sb.toString();
        }

        private String padText(StringBuilder sb, int target) {
            while (sb.length() < target - 16) {
                sb.append(pick(new String[] {" trace=" + hex(16), " user=" + pick(USERS), " region=" + pick(REGIONS),
                    " elapsed=" + rnd.nextInt(9000) + "ms", " pod=" + pick(HOSTS) + "-" + hex(5),
                    " path=" + pick(PATHS) + "/" + rnd.nextInt(9999)}));
            }
            return sb.toString();
        }

        private String ts() {
            return String.format("2026-11-%02dT%s.%03dZ", 1 + rnd.nextInt(28), clock(), rnd.nextInt(1000));
        }

        private String clock() {
            return String.format("%02d:%02d:%02d", rnd.nextInt(24), rnd.nextInt(60), rnd.nextInt(60));
        }

        private String reqId() {
            return "req-" + hex(8);
        }

        private String hex(int digits) {
            StringBuilder sb = new StringBuilder(digits);
            for (int i = 0; i < digits; i++) {
                sb.append("0123456789abcdef".charAt(rnd.nextInt(16)));
            }
            return sb.toString();
        }

        private String pick(String[] options) {
            return options[rnd.nextInt(options.length)];
        }

        private String pick(List<String> options) {
            return options.get(rnd.nextInt(options.size()));
        }

        /** A minimal JSON object writer: keys and values here never need escaping. */
        private final class Json {
            private final StringBuilder sb = new StringBuilder(MAX_BYTES).append('{');

            Json str(String key, String value) {
                sep();
                sb.append('"').append(key).append("\":\"").append(value).append('"');
                return this;
            }

            Json num(String key, long value) {
                sep();
                sb.append('"').append(key).append("\":").append(value);
                return this;
            }

            Json raw(String key, String json) {
                sep();
                sb.append('"').append(key).append("\":").append(json);
                return this;
            }

            /** Adds the usual trace/http/k8s fields until the object is about {@code target} bytes. */
            Json pad(int target) {
                int k = 0;
                while (sb.length() < target - 24 && k < 12) {
                    switch (k++ % 6) {
                        case 0:
                            str("trace_id", hex(32));
                            break;
                        case 1:
                            str("span_id", hex(16));
                            break;
                        case 2:
                            raw("http", "{\"method\":\"GET\",\"path\":\"" + pick(PATHS) + "/" + rnd.nextInt(9999)
                                    + "\",\"status\":" + pick(new String[] {"200", "404", "500", "503"}) + "}");
                            break;
                        case 3:
                            num("duration_ms", rnd.nextInt(9000));
                            break;
                        case 4:
                            raw("kubernetes", "{\"pod\":\"" + pick(HOSTS) + "-" + hex(5) + "\",\"namespace\":\"prod\"}");
                            break;
                        default:
                            str("user_agent", pick(AGENTS));
                            break;
                    }
                }
                return this;
            }

            String close() {
                return sb.append('}').toString();
            }

            private void sep() {
                if (sb.length() > 1) {
                    sb.append(',');
                }
            }
        }
    }
}
