package dev.faultline.catalog.testing;

import dev.faultline.catalog.event.FieldKind;
import dev.faultline.catalog.event.FieldValue;
import dev.faultline.catalog.event.LogEvent;
import dev.faultline.catalog.event.LogFormat;
import dev.faultline.catalog.event.TypedField;
import dev.faultline.catalog.load.CatalogLoader;
import dev.faultline.catalog.match.ServiceBinding;
import dev.faultline.catalog.model.CatalogSet;
import java.util.List;

/** Hand-built events and the bundled catalogs, for matcher tests that should not depend on the parser. */
public final class TestEvents {
    public static final TypedField RPC_FIELD = new TypedField("error.code", FieldKind.RPC, true);
    public static final TypedField CODE_FIELD = new TypedField("error_code", FieldKind.CODE, false);

    /** One service per bundled catalog, bound to it: {@code svc-nefia} → nefia, and so on. */
    public static final List<ServiceBinding> BINDINGS = CatalogLoader.BUNDLED_IDS.stream()
            .map(id -> new ServiceBinding("svc-" + id + "*", List.of(id)))
            .toList();

    private static final CatalogSet BUNDLED = new CatalogLoader().loadBundled().orThrow();

    private TestEvents() {
    }

    public static CatalogSet bundled() {
        return BUNDLED;
    }

    public static LogEvent typedCode(String service, String value) {
        return event(service, List.of(new FieldValue("error_code", value, false, CODE_FIELD)), List.of());
    }

    public static LogEvent typedRpc(String service, int code) {
        return event(service, List.of(new FieldValue("error.code", Integer.toString(code), true, RPC_FIELD)), List.of());
    }

    public static LogEvent text(String service, String message) {
        return event(service, List.of(), List.of(FieldValue.text("message", message)));
    }

    public static LogEvent event(String service, List<FieldValue> codes, List<FieldValue> texts) {
        return new LogEvent(LogFormat.JSON, null, null, service, "host-1", "error", null, codes, texts, null);
    }
}
