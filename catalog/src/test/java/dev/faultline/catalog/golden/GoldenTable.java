package dev.faultline.catalog.golden;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** {@code golden/seed-tokens.tsv}: every token the seeds name and what it must resolve to. */
public record GoldenTable(List<Row> rows) {

    /** One token; {@code expectedCode} is {@code AMBIGUOUS:a,b,…} for a within-catalog ambiguity. */
    public record Row(String catalog, String token, String kind, String expectedCode, String expectedClass,
            String expectedTransience, String expectedCategory) {
        public boolean ambiguous() {
            return expectedCode.startsWith("AMBIGUOUS:");
        }

        public List<String> ambiguousCodes() {
            return List.of(expectedCode.substring("AMBIGUOUS:".length()).split(","));
        }

        public boolean rpc() {
            return kind.equals("rpc");
        }

        @Override
        public String toString() {
            return catalog + " " + token;
        }
    }

    public static GoldenTable load() {
        try (InputStream in = GoldenTable.class.getResourceAsStream("/golden/seed-tokens.tsv")) {
            String[] lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n");
            List<Row> rows = new ArrayList<>();
            for (int i = 1; i < lines.length; i++) {
                if (lines[i].isBlank()) {
                    continue;
                }
                String[] f = lines[i].split("\t", -1);
                if (f.length != 7) {
                    throw new IllegalStateException("seed-tokens.tsv line " + (i + 1) + " has " + f.length + " fields");
                }
                rows.add(new Row(f[0], f[1], f[2], f[3], f[4], f[5], f[6].strip()));
            }
            return new GoldenTable(List.copyOf(rows));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
