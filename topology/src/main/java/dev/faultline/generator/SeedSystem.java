package dev.faultline.generator;

import java.util.List;
import java.util.Optional;

/**
 * The five systems the bundled catalogs describe, with the service names the generator logs under
 * and the glob that binds those services to their catalog (Faultline's {@code services:} config).
 */
public enum SeedSystem {
    NEFIA("nefia", "nefia*", List.of("nefia-agent", "nefia-hub"),
            List.of("exec finished", "vpn handshake completed", "session opened", "file pushed", "playbook step done"),
            List.of("exec", "push", "vpn.up", "session.open", "playbook.run")),
    AGENT_TASKS("agent-tasks", "agent-tasks*", List.of("agent-tasks-api", "agent-tasks-worker"),
            List.of("request completed", "task claimed", "lease renewed", "task completed", "embedding stored"),
            List.of("tasks.claim", "tasks.complete", "projects.create", "knowledge.search", "billing.charge")),
    FOUNDRY_MCP("foundry-mcp", "foundry-mcp*", List.of("foundry-mcp"),
            List.of("tool call completed", "spec loaded", "phase advanced", "journal entry added", "tests passed"),
            List.of("spec.update", "task.next", "phase.advance", "journal.add", "test.run")),
    VAULT_RPC("vault-rpc", "vault-rpc*", List.of("vault-rpc"),
            List.of("rpc request served", "file read", "watch event delivered", "note written", "index refreshed"),
            List.of("fs.read", "fs.write", "fs.list", "vault.watch", "vault.search")),
    NPS("nps", "nps*", List.of("nps-gateway", "nps-node"),
            List.of("frame forwarded", "anchor synced", "stream opened", "query served", "delegation accepted"),
            List.of("ncp.frame", "nwp.query", "nip.verify", "ndp.resolve", "nop.delegate"));

    private final String catalogId;
    private final String serviceGlob;
    private final List<String> services;
    private final List<String> infoMessages;
    private final List<String> operations;

    SeedSystem(String catalogId, String serviceGlob, List<String> services, List<String> infoMessages,
            List<String> operations) {
        this.catalogId = catalogId;
        this.serviceGlob = serviceGlob;
        this.services = services;
        this.infoMessages = infoMessages;
        this.operations = operations;
    }

    public String catalogId() {
        return catalogId;
    }

    /** Glob matching every service name this system logs under. */
    public String serviceGlob() {
        return serviceGlob;
    }

    public List<String> services() {
        return services;
    }

    List<String> infoMessages() {
        return infoMessages;
    }

    List<String> operations() {
        return operations;
    }

    public static Optional<SeedSystem> byCatalog(String catalogId) {
        for (SeedSystem s : values()) {
            if (s.catalogId.equals(catalogId)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }

    /** The system a service name belongs to (by the generator's naming), if any. */
    public static Optional<SeedSystem> byService(String service) {
        for (SeedSystem s : values()) {
            if (s.services.contains(service)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }
}
