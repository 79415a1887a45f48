package dev.faultline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ExplainCommandTest {
    @Test
    void shouldExplainAnECodeBrieflyWithTitleAndFirstStep() {
        CliRun run = CliRun.of("explain", "E2001");
        assertThat(run.exit()).isZero();
        assertThat(run.out()).contains("Error [SSH_AUTH_FAILED] (E2001, -32003): SSH authentication failed")
                .contains("Resolution: Verify the SSH key: ssh -i ~/.ssh/id_ed25519 <user>@<host>.")
                .doesNotContain("Check key file permissions");
    }

    @Test
    void shouldExplainEveryFieldAndEveryStepWhenVerbose() {
        CliRun run = CliRun.of("explain", "SSH_AUTH_FAILED", "--verbose");
        assertThat(run.exit()).isZero();
        assertThat(run.out()).contains("1. Verify the SSH key").contains("4. Re-enroll the host")
                .containsPattern("Recovery tool: +nefia.vpn.diagnose").containsPattern("Transience: +permanent \\(stated");
    }

    @Test
    void shouldExplainAnRpcNumberScopedToACatalog() {
        CliRun run = CliRun.of("explain", "-32003", "--catalog", "nefia");
        assertThat(run.exit()).isZero();
        assertThat(run.out()).contains("Error [SSH_AUTH_FAILED]");
    }

    @Test
    void shouldListEveryCandidateOfAnAmbiguousCode() {
        CliRun run = CliRun.of("explain", "-32601");
        assertThat(run.exit()).isZero();
        assertThat(run.out()).contains("-32601 is ambiguous").contains("nefia METHOD_NOT_FOUND")
                .contains("vault-rpc MethodNotFound");
    }

    @Test
    void shouldShowWhySessionNotFoundSharesE9001() {
        CliRun run = CliRun.of("explain", "SESSION_NOT_FOUND", "-v");
        assertThat(run.out()).containsPattern("Recovery tool: +nefia.session.open")
                .contains("Shared token E9001: resolves to INTERNAL");
    }

    @Test
    void shouldFailWithAClearMessageForAnUnknownCode() {
        CliRun run = CliRun.of("explain", "E0000");
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err()).contains("unknown code 'E0000'").contains("faultline explain --list");
    }

    @Test
    void shouldSayWhatCategoryAnUnregisteredCodesFormGives() {
        CliRun run = CliRun.of("explain", "E2999");
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err()).contains("unknown code 'E2999'; by its form it is a nefia code of category SSH");
        assertThat(CliRun.of("explain", "E2999", "--catalog", "vault-rpc").err()).contains("nefia code of category SSH");
    }

    @Test
    void shouldListCodesAndTitlesOfOneCatalog() {
        CliRun run = CliRun.of("explain", "--list", "--catalog", "vault-rpc");
        assertThat(run.exit()).isZero();
        assertThat(run.out()).contains("MethodNotFound").contains("PathOutsideVault").doesNotContain("nefia ").doesNotContain("NCP-");
    }

    @Test
    void shouldRejectAnUnknownCatalog() {
        assertThat(CliRun.of("explain", "E2001", "--catalog", "nope").exit()).isEqualTo(2);
    }
}
