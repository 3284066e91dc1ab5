package dev.tern.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.importer.Location;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import org.junit.jupiter.api.Test;

/**
 * The architecture rules of {@link ArchitectureRules}, checked twice: the {@code @ArchTest} fields run
 * each rule on every module's production classes (run by ArchUnit's JUnit engine; a violation fails
 * the build), and the {@code @Test} methods run the same rule on {@code dev.tern.archfixture}, a
 * miniature Tern that breaks each rule on purpose, and assert the rule names the offending class
 * (so a rule that can no longer fail, e.g. after a package rename, is caught too).
 */
@AnalyzeClasses(packages = "dev.tern", importOptions = {ImportOption.DoNotIncludeTests.class, ArchitectureTest.NoFixtures.class})
class ArchitectureTest {

  @ArchTest static final ArchRule core_has_no_package_cycles = ArchitectureRules.coreFreeOfCycles(Layout.TERN);
  @ArchTest static final ArchRule core_root_uses_no_sub_package = ArchitectureRules.coreRootUsesNoSubPackage(Layout.TERN);
  @ArchTest static final ArchRule core_layers = ArchitectureRules.coreLayers(Layout.TERN);
  @ArchTest static final ArchRule features_use_only_the_ledger_facade = ArchitectureRules.featuresUseOnlyTheLedgerFacade(Layout.TERN);
  @ArchTest static final ArchRule core_is_free_of_technology = ArchitectureRules.coreIsFreeOfTechnology(Layout.TERN);
  @ArchTest static final ArchRule adapters_are_independent = ArchitectureRules.adaptersAreIndependent(Layout.TERN);
  @ArchTest static final ArchRule blob_adapters_use_only_the_blob_port = ArchitectureRules.blobAdaptersUseOnlyTheBlobPort(Layout.TERN);

  @ArchTest static final ArchRule gateway_uses_no_media_records = ArchitectureRules.gatewayUsesNoMediaRecords(Layout.TERN);
  @ArchTest static final ArchRule core_values_become_wire_values_in_one_place =
      ArchitectureRules.coreValuesBecomeWireValuesInOnePlace(Layout.TERN);

  private static final String F = "dev.tern.archfixture.";
  private static final JavaClasses FIXTURE = new ClassFileImporter().importPackages("dev.tern.archfixture");

  @Test
  void cycleRuleCatchesTwoCorePackagesThatUseEachOther() {
    String report = assertViolation(ArchitectureRules.coreFreeOfCycles(Layout.FIXTURE), F + "core.people.Contacts.backRef");
    assertThat(report).containsPattern("Cycle detected: core\\.message ->\\s+core\\.people ->\\s+core\\.message");
  }

  @Test
  void rootRuleCatchesTheRootPackageUsingASubPackage() {
    assertViolation(ArchitectureRules.coreRootUsesNoSubPackage(Layout.FIXTURE),
        F + "core.RootConfig.sender", "<" + F + "core.message.Sender>");
  }

  @Test
  void layerRuleCatchesALowerLayerReachingUpAndTheCoreUsingNode() {
    String report = assertViolation(ArchitectureRules.coreLayers(Layout.FIXTURE),
        F + "core.ledger.Conversations.owner", F + "core.people.Contacts.backRef", F + "core.auth.Accounts.wiring",
        F + "core.limits.Limits.owner", F + "core.stray.Stray");
    // The allowed directions (message -> group -> inbox -> people, presence -> people, node -> all) pass.
    assertThat(report).doesNotContain(from("core.message.Sender"), from("core.group.Groups"),
        from("core.inbox.Dialogs"), from("core.presence.Presence"), from("core.node.Wiring"));
  }

  @Test
  void writeSideRuleCatchesAFeatureHoldingTheStoreOrThePipeline() {
    String report = assertViolation(ArchitectureRules.featuresUseOnlyTheLedgerFacade(Layout.FIXTURE),
        F + "core.message.WritesDirectly.store", F + "core.message.WritesDirectly.pipeline",
        F + "core.message.WritesDirectly.sequencers", F + "core.auth.Accounts.local");
    assertThat(report).doesNotContain(from("core.message.Sender"));
  }

  @Test
  void technologyRuleCatchesTheCoreImportingNettyOrTheGateway() {
    assertViolation(ArchitectureRules.coreIsFreeOfTechnology(Layout.FIXTURE),
        F + "core.message.UsesTransport.buffer", "<io.netty.buffer.ByteBuf>",
        F + "core.message.UsesTransport.edge", "<" + F + "gateway.Edge>",
        F + "core.message.UsesTransport.frame", "<" + F + "protocol.Frame>");
  }

  @Test
  void wireRuleCatchesAHandlerReadingACoreValueOutsideTheWirePackage() {
    String report = assertViolation(ArchitectureRules.coreValuesBecomeWireValuesInOnePlace(Layout.FIXTURE),
        F + "gateway.SendReply.seqOf", F + "core.view.Sent.seq()", F + "gateway.SendReply.seqReader");
    assertThat(report).doesNotContain(from("gateway.wire.Results"));
  }

  @Test
  void adapterRuleCatchesOneAdapterImportingAnother() {
    assertViolation(ArchitectureRules.adaptersAreIndependent(Layout.FIXTURE),
        F + "blob.fs.FsBlobStore.mirror", "<" + F + "blob.s3.S3BlobStore>");
  }

  @Test
  void blobPortRuleCatchesABlobAdapterUsingMoreOfTheCore() {
    String report = assertViolation(ArchitectureRules.blobAdaptersUseOnlyTheBlobPort(Layout.FIXTURE),
        F + "blob.fs.FsBlobStore.thumbnails", "<" + F + "core.media.Thumbnails>");
    assertThat(report).doesNotContain("<" + F + "core.blob.BlobStore>", "<" + F + "core.blob.FileRangeInputStream>");
  }

  @Test
  void mediaRecordRuleCatchesTheGatewayTakingAStoreRecord() {
    assertViolation(ArchitectureRules.gatewayUsesNoMediaRecords(Layout.FIXTURE),
        F + "gateway.MediaPage.record", "<" + F + "core.store.MediaRecord>");
  }

  /** Runs the rule on the fixture, asserts it fails naming every given text, and returns the report. */
  private static String assertViolation(ArchRule rule, String... named) {
    EvaluationResult result = rule.evaluate(FIXTURE);
    String report = String.join("\n", result.getFailureReport().getDetails());
    assertThat(result.hasViolation()).as("%s should fail on the fixture", rule.getDescription()).isTrue();
    assertThat(report).contains(named);
    return report;
  }

  /** How a report names a dependency whose origin is a member of the given fixture class. */
  private static String from(String fixtureClass) {
    return "<" + F + fixtureClass + ".";
  }

  /** The fixture breaks every rule on purpose; it is never part of the real check. */
  static final class NoFixtures implements ImportOption {
    @Override
    public boolean includes(Location location) {
      return !location.contains("/dev/tern/archfixture/");
    }
  }
}
