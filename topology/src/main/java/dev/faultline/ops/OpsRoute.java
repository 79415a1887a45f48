package dev.faultline.ops;

/**
 * A handler mounted on the ops server (the query API under {@code /api/…}). Runs on the server's
 * small executor: keep it quick and bounded (answer from local state, cap result sizes). An
 * exception becomes a bare 500 with no details.
 */
@FunctionalInterface
public interface OpsRoute {
    OpsResponse handle(OpsRequest request) throws Exception;
}
