package dev.faultline.catalog.match;

import static dev.faultline.catalog.testing.TestEvents.text;
import static dev.faultline.catalog.testing.TestEvents.typedCode;
import static dev.faultline.catalog.testing.TestEvents.typedRpc;
import static org.assertj.core.api.Assertions.assertThat;

import dev.faultline.catalog.event.FieldValue;
import dev.faultline.catalog.event.LogEvent;
import dev.faultline.catalog.model.CatalogEntry;
import dev.faultline.catalog.model.Transience;
import dev.faultline.catalog.model.TransienceSource;
import dev.faultline.catalog.testing.TestEvents;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Every place the seeds contradict themselves or each other, and how Faultline resolves it. */
class CollisionResolutionTest {
    private final CatalogIndex index = CatalogIndex.of(TestEvents.bundled());
    private final Matcher matcher = new Matcher(index, TestEvents.BINDINGS);
    private final Matcher unscoped = new Matcher(index, List.of());

    /** 15 distinct nefia codes that share no token with anything. */
    private static final String FIFTEEN = "E1002 E1003 VPN_SETUP_FAILED DERP_CONNECT_FAILED DERP_AUTH_FAILED"
            + " SSH_AUTH_FAILED SSH_CONNECT_FAILED CMD_TIMEOUT SSH_SESSION_FAILED SSH_HOST_KEY_CHANGED PATH_DENIED"
            + " CONFIG_INVALID SELECTOR_INVALID HOST_NOT_FOUND LICENSE_DENIED";

    private ErrorMatch only(Matcher m, LogEvent event) {
        MatchResult result = m.match(event);
        assertThat(result.errors()).hasSize(1);
        return result.errors().get(0);
    }

    private CatalogEntry entry(String catalog, String code) {
        return TestEvents.bundled().catalog(catalog).orElseThrow().entry(code).orElseThrow();
    }

    @Test
    void shouldGiveSessionNotFoundItsOwnDescriptionAndRecoveryToolAlthoughItSharesE9001() {
        ErrorMatch m = only(matcher, text("svc-nefia", "mcp: SESSION_NOT_FOUND: session 7f3a expired"));
        assertThat(m.entry().code()).isEqualTo("SESSION_NOT_FOUND");
        assertThat(m.entry().recoveryTool()).isEqualTo("nefia.session.open");
        assertThat(m.entry().description()).isNotEqualTo(entry("nefia", "INTERNAL").description());
        assertThat(m.entry().eCode()).isEqualTo("E9001");
    }

    @Test
    void shouldResolveBareE9001ToInternal() {
        assertThat(only(matcher, text("svc-nefia", "failed with E9001")).entry().code()).isEqualTo("INTERNAL");
        assertThat(only(matcher, typedCode("svc-nefia", "E9001")).entry().code()).isEqualTo("INTERNAL");
    }

    @Test
    void shouldResolveE5001ToPolicyDeniedWhileSudoDeniedIsFoundByName() {
        assertThat(only(matcher, typedCode("svc-nefia", "E5001")).entry().code()).isEqualTo("POLICY_DENIED");
        ErrorMatch sudo = only(matcher, typedCode("svc-nefia", "SUDO_DENIED"));
        assertThat(sudo.entry().eCode()).isEqualTo("E8302");
        assertThat(sudo.entry().aliases()).contains("E5001");
        assertThat(only(matcher, text("svc-nefia", "sudo blocked: E8302")).entry().code()).isEqualTo("SUDO_DENIED");
    }

    @Test
    void shouldGiveSudoDeniedTheStepsOfE5001TheDomainCodeTableLinksItTo() {
        assertThat(entry("nefia", "SUDO_DENIED").remediation()).isNotEmpty()
                .isEqualTo(entry("nefia", "POLICY_DENIED").remediation());
    }

    @Test
    void shouldTellVpnNotReadyToWaitFirstThenGiveTheStepsOfItsE1001() {
        List<String> steps = entry("nefia", "VPN_NOT_READY").remediation();
        List<String> e1001 = entry("nefia", "VPN_FAILED").remediation();
        assertThat(steps.get(0)).isEqualTo("Wait and diagnose");
        assertThat(steps.subList(1, steps.size())).isEqualTo(e1001);
    }

    @Test
    void shouldGiveOneRetryAnswerToANonZeroExitWhetherNamedByECodeOrByMcpCode() {
        CatalogEntry byECode = entry("nefia", "CMD_EXIT_NONZERO");
        assertThat(byECode.transience()).isEqualTo(entry("nefia", "COMMAND_FAILED").transience())
                .isEqualTo(Transience.PERMANENT);
        assertThat(byECode.transienceBasis().source()).isEqualTo(TransienceSource.RESOLVED);
    }

    @Test
    void shouldNotCallATransienceResolvedWhereTheSeedContradictsNothing() {
        CatalogEntry embedding = entry("agent-tasks", "knowledge.embedding_failed");
        assertThat(embedding.transienceBasis().source()).isEqualTo(TransienceSource.DERIVED);
        assertThat(embedding.transience()).isEqualTo(Transience.CONDITIONAL);
    }

    @Test
    void shouldMakeWaitOnlyConditionsConditionalAlthoughTheirClassSaysCallerFault() {
        for (String[] c : List.of(new String[] {"agent-tasks", "task.dependency_unmet"},
                new String[] {"nps", "NIP-CA-RENEWAL-TOO-EARLY"}, new String[] {"nps", "NCP-STREAM-LIMIT-EXCEEDED"},
                new String[] {"nps", "NWP-SUBSCRIBE-LIMIT-EXCEEDED"})) {
            CatalogEntry e = entry(c[0], c[1]);
            assertThat(e.transience()).as(e.key()).isEqualTo(Transience.CONDITIONAL);
            assertThat(e.transienceBasis().source()).as(e.key()).isEqualTo(TransienceSource.RESOLVED);
        }
    }

    @Test
    void shouldCarryFoundrysHandlingAdviceRetryFirstForRetryableCodesAndAfterTheFixForTheOthers() {
        assertThat(entry("foundry-mcp", "INTERNAL_ERROR").remediation())
                .containsExactly("Retry with exponential backoff", "Report issue with details");
        assertThat(entry("foundry-mcp", "RATE_LIMIT_EXCEEDED").remediation())
                .containsExactly("Retry after `retry_after_seconds`", "Wait and retry");
        assertThat(entry("foundry-mcp", "CIRCULAR_DEPENDENCY").remediation())
                .containsExactly("Review dependency graph", "Restructure dependencies");
        for (String code : List.of("INTERNAL_ERROR", "UNAVAILABLE", "RATE_LIMIT_EXCEEDED", "PROVIDER_TIMEOUT",
                "CONFLICT", "VALIDATION_ERROR", "NOT_FOUND", "INVALID_TRANSITION", "CIRCULAR_DEPENDENCY")) {
            CatalogEntry e = entry("foundry-mcp", code);
            assertThat(e.remediation()).as(code).hasSize(2);
            // The list the advice comes from is the one that states the code's transience.
            boolean retryFirst = e.remediation().get(0).startsWith("Retry");
            assertThat(retryFirst).as(code).isEqualTo(e.transience() == Transience.TRANSIENT);
        }
    }

    @Test
    void shouldMergeBothAuthRequiredRowsIntoOneEntry() {
        ErrorMatch byECode = only(matcher, typedCode("svc-nefia", "E6001"));
        ErrorMatch byRpc = only(matcher, typedRpc("svc-nefia", -32030));
        ErrorMatch byName = only(matcher, typedCode("svc-nefia", "AUTH_REQUIRED"));
        assertThat(List.of(byECode.entry(), byRpc.entry(), byName.entry())).allSatisfy(e ->
                assertThat(e.key()).isEqualTo("nefia:AUTH_REQUIRED"));
    }

    @Test
    void shouldKeepVpnNotReadyTransientWhileBareE1001ResolvesToVpnFailed() {
        assertThat(only(matcher, typedCode("svc-nefia", "E1001")).entry().code()).isEqualTo("VPN_FAILED");
        ErrorMatch notReady = only(matcher, typedCode("svc-nefia", "VPN_NOT_READY"));
        assertThat(notReady.entry().eCode()).isEqualTo("E1001");
        assertThat(notReady.entry().transience()).isEqualTo(Transience.TRANSIENT);
        assertThat(only(matcher, typedRpc("svc-nefia", -32023)).entry().code()).isEqualTo("VPN_NOT_READY");
    }

    @Test
    void shouldLinkListOnlyECodesToTheirDomainCodesByTitle() {
        assertThat(List.of("E8301", "E8302", "E9003", "E9004", "E9005", "E9006"))
                .extracting(code -> only(matcher, typedCode("svc-nefia", code)).entry().code())
                .containsExactly("SUDO_DISABLED", "SUDO_DENIED", "SCHEDULE_NOT_FOUND", "QUEUE_ENTRY_NOT_FOUND",
                        "QUEUE_INVALID_STATE", "JOB_NOT_FOUND");
    }

    @Test
    void shouldResolveRpcMinus32006ToConditionalSftpFailedWhileTheCodesItCoversStayPermanent() {
        ErrorMatch rpc = only(matcher, typedRpc("svc-nefia", -32006));
        assertThat(rpc.entry().code()).isEqualTo("SFTP_FAILED");
        assertThat(rpc.entry().transience()).isEqualTo(Transience.CONDITIONAL);
        for (String covered : List.of("FILE_NOT_FOUND", "PERMISSION_DENIED", "FILE_TOO_LARGE")) {
            assertThat(only(matcher, typedCode("svc-nefia", covered)).entry().transience()).as(covered)
                    .isEqualTo(Transience.PERMANENT);
        }
    }

    @Test
    void shouldFlagAmbiguousRpcCodeWhenNoServiceBinding() {
        ErrorMatch m = only(unscoped, typedRpc("checkout", -32001));
        assertThat(m.ambiguous()).isTrue();
        assertThat(m.candidates()).extracting(CatalogEntry::key).contains(
                "nefia:POLICY_DENIED", "vault-rpc:AuthInvalid", "agent-tasks:auth.invalid_token", "agent-tasks:auth.forbidden");
    }

    @Test
    void shouldAttributeASharedRpcNumberToTheCatalogTheServiceIsBoundTo() {
        assertThat(only(matcher, typedRpc("svc-nefia-agent", -32013)).entry().key()).isEqualTo("nefia:ACCESS_DENIED");
        assertThat(only(matcher, typedRpc("svc-vault-rpc", -32013)).entry().key()).isEqualTo("vault-rpc:Exists");
        assertThat(only(matcher, typedRpc("svc-agent-tasks", -32004)).entry().key()).isEqualTo("agent-tasks:not_found");
        assertThat(only(matcher, typedRpc("svc-nefia", -32601)).entry().key()).isEqualTo("nefia:METHOD_NOT_FOUND");
        assertThat(only(matcher, typedRpc("svc-vault-rpc", -32601)).entry().key()).isEqualTo("vault-rpc:MethodNotFound");
    }

    @Test
    void shouldKeepAgentTasksMinus32001AmbiguousEvenWhenTheServiceIsBound() {
        ErrorMatch m = only(matcher, typedRpc("svc-agent-tasks", -32001));
        assertThat(m.ambiguous()).isTrue();
        assertThat(m.candidates()).extracting(CatalogEntry::key).containsExactly("agent-tasks:auth.cross_org",
                "agent-tasks:auth.expired_session", "agent-tasks:auth.forbidden", "agent-tasks:auth.invalid_token",
                "agent-tasks:auth.missing_csrf");
    }

    @Test
    void shouldFlagFeatureDisabledAmbiguousBetweenNefiaAndFoundryUnlessTheServiceDecides() {
        ErrorMatch m = only(unscoped, typedCode("billing", "FEATURE_DISABLED"));
        assertThat(m.candidates()).extracting(CatalogEntry::key)
                .containsExactly("foundry-mcp:FEATURE_DISABLED", "nefia:FEATURE_DISABLED");
        assertThat(only(matcher, typedCode("svc-foundry-mcp", "FEATURE_DISABLED")).entry().key())
                .isEqualTo("foundry-mcp:FEATURE_DISABLED");
    }

    @Test
    void shouldLetTheEventItselfDecideAnAmbiguousRpcNumberWhenItAlsoNamesTheCode() {
        LogEvent event = TestEvents.event("checkout",
                List.of(new dev.faultline.catalog.event.FieldValue("error.code", "-32601", true, TestEvents.RPC_FIELD)),
                List.of(dev.faultline.catalog.event.FieldValue.text("message", "METHOD_NOT_FOUND: nefia.fs.banana")));
        ErrorMatch m = only(unscoped, event);
        assertThat(m.entry().key()).isEqualTo("nefia:METHOD_NOT_FOUND");
    }

    @Test
    void shouldTreatANumberInANonRpcFieldAsNoCode() {
        LogEvent event = TestEvents.event("svc-nefia",
                List.of(new dev.faultline.catalog.event.FieldValue("code", "-32003", true, TestEvents.CODE_FIELD)),
                List.of());
        assertThat(matcher.match(event).isEmpty()).isTrue();
    }

    @Test
    void shouldReportATypedValueNoCatalogHoldsAsUnknown() {
        MatchResult r = matcher.match(typedCode("svc-nefia", "ECONNRESET"));
        assertThat(r.errors()).isEmpty();
        assertThat(r.unknownCodes()).containsExactly(new UnknownCode("error_code", "ECONNRESET"));
        assertThat(matcher.match(typedRpc("svc-nefia", -32099)).unknownCodes())
                .containsExactly(new UnknownCode("error.code", "-32099"));
    }

    @Test
    void shouldNameTheCategoryAnUnregisteredECodesFormGivesInTheCatalogsItsServiceIsBoundTo() {
        assertThat(matcher.match(typedCode("svc-nefia", "E2999")).unknownCodes())
                .containsExactly(new UnknownCode("error_code", "E2999", "nefia", "SSH"));
        assertThat(unscoped.match(typedCode("checkout", "E8150")).unknownCodes())
                .containsExactly(new UnknownCode("error_code", "E8150", "nefia", "Security / Device / Posture"));
        assertThat(matcher.match(typedCode("svc-vault-rpc", "E2999")).unknownCodes())
                .as("as E2001 is nefia's for a service bound elsewhere")
                .containsExactly(new UnknownCode("error_code", "E2999", "nefia", "SSH"));
        assertThat(matcher.match(typedCode("svc-nefia", "E29999")).unknownCodes())
                .containsExactly(new UnknownCode("error_code", "E29999"));
    }

    @Test
    void shouldExplainEveryAliasFormOfACode() {
        for (String form : List.of("E2001", "SSH_AUTH_FAILED", "-32003")) {
            assertThat(index.lookup(form, Optional.of("nefia"))).extracting(CatalogEntry::code).containsExactly("SSH_AUTH_FAILED");
        }
        assertThat(index.lookup("-32001", Optional.empty())).hasSizeGreaterThan(1);
    }

    @Test
    void shouldNotAddTheSharedECodesOwnerWhenTheEventAlsoNamesTheCodeThatSharesIt() {
        // E9001 is SESSION_NOT_FOUND's E-code too: the event is one error, found twice, not INTERNAL beside it.
        MatchResult r = matcher.match(TestEvents.event("svc-nefia",
                typedCode("svc-nefia", "E9001").codeFields(),
                List.of(FieldValue.text("msg", "SESSION_NOT_FOUND: session 7f3a expired"))));
        assertThat(r.errors()).extracting(e -> e.entry().code()).containsExactly("SESSION_NOT_FOUND");
        // the same for a shared RPC number: -32006 naming FILE_NOT_FOUND is that (permanent) error alone
        MatchResult rpc = matcher.match(TestEvents.event("svc-nefia", typedRpc("svc-nefia", -32006).codeFields(),
                List.of(FieldValue.text("error.message", "FILE_NOT_FOUND: open /srv/x: no such file"))));
        assertThat(rpc.errors()).extracting(e -> e.entry().code()).containsExactly("FILE_NOT_FOUND");
        // and in the other order, and for E1001 / E5001
        assertThat(matcher.match(text("svc-nefia", "VPN_NOT_READY (E1001)")).errors())
                .extracting(e -> e.entry().code()).containsExactly("VPN_NOT_READY");
        assertThat(matcher.match(text("svc-nefia", "E5001: SUDO_DENIED for deploy")).errors())
                .extracting(e -> e.entry().code()).containsExactly("SUDO_DENIED");
    }

    @Test
    void shouldKeepTheSharedECodesOwnerWhenTheEventAlsoNamesItByItsOwnCode() {
        MatchResult r = matcher.match(text("svc-nefia", "E9001, code=INTERNAL, then SESSION_NOT_FOUND"));
        assertThat(r.errors()).extracting(e -> e.entry().code()).containsExactly("INTERNAL", "SESSION_NOT_FOUND");
        // an E-code shared with a code the event does not name stays its owner's
        assertThat(matcher.match(text("svc-nefia", "E9001 and SSH_AUTH_FAILED")).errors())
                .extracting(e -> e.entry().code()).containsExactly("INTERNAL", "SSH_AUTH_FAILED");
    }

    private List<String> codes(MatchResult r) {
        return r.errors().stream().map(e -> e.ambiguous() ? "?" + e.matched() : e.entry().code()).toList();
    }

    @Test
    void shouldApplyThe16BoundAfterFoldingASharedToken() {
        // typed E9001 (INTERNAL, shared with SESSION_NOT_FOUND) + SESSION_NOT_FOUND + 15 other codes: the event
        // names 16 distinct codes once E9001 is read as SESSION_NOT_FOUND. README: "the bound is applied after that".
        MatchResult r = matcher.match(TestEvents.event("svc-nefia",
                TestEvents.typedCode("svc-nefia", "E9001").codeFields(),
                List.of(FieldValue.text("message", "SESSION_NOT_FOUND " + FIFTEEN))));
        assertThat(codes(r)).doesNotContain("INTERNAL").contains("SESSION_NOT_FOUND", "LICENSE_DENIED")
                .hasSize(Matcher.MAX_ERRORS_PER_EVENT);
    }

    @Test
    void shouldFoldTheSharedOwnerAwayWhenTheCodeThatSharesItComesAfterSixteenOthers() {
        // typed E9001 (INTERNAL), then 16 other codes, then SESSION_NOT_FOUND: still not INTERNAL; the bound keeps
        // the first 16 codes after the fold
        MatchResult r = matcher.match(TestEvents.event("svc-nefia",
                TestEvents.typedCode("svc-nefia", "E9001").codeFields(),
                List.of(FieldValue.text("message", FIFTEEN + " VPN_NOT_READY SESSION_NOT_FOUND"))));
        assertThat(codes(r)).hasSize(Matcher.MAX_ERRORS_PER_EVENT).doesNotContain("INTERNAL");
    }

    @Test
    void shouldKeepTheTypedStageOfACodeFoundByBothStages() {
        // error_code E9001 (typed) and SESSION_NOT_FOUND in the message: one code, found by both stages
        // ("reported once"), the typed field included; the typed finding should not vanish from stage/field.
        MatchResult r = matcher.match(TestEvents.event("svc-nefia",
                TestEvents.typedCode("svc-nefia", "E9001").codeFields(),
                List.of(FieldValue.text("message", "SESSION_NOT_FOUND: session 7f3a expired"))));
        assertThat(r.errors()).hasSize(1);
        ErrorMatch m = r.errors().get(0);
        assertThat(m.entry().code()).isEqualTo("SESSION_NOT_FOUND");
        assertThat(m.stage()).as("stage of the kept finding").isEqualTo(MatchStage.TYPED);
        assertThat(m.field()).isEqualTo("error_code");
    }

    @Test
    void shouldFoldASharedRpcNumberBesideTheCodeThatSharesItForAnUnboundServiceToo() {
        // default config: no service bindings. A Nefia JSON-RPC error -32006 whose message names FILE_NOT_FOUND
        // (which carries -32006 in nefia): scoped, this is FILE_NOT_FOUND alone; unscoped, -32006 stays beside it as
        // an ambiguous finding (agent-tasks quota.exceeded | nefia SFTP_FAILED) though the event explains it.
        MatchResult r = unscoped.match(TestEvents.event(null, TestEvents.typedRpc(null, -32006).codeFields(),
                List.of(FieldValue.text("error.message", "FILE_NOT_FOUND: open /srv/x: no such file"))));
        assertThat(codes(r)).containsExactly("FILE_NOT_FOUND");
    }
}
