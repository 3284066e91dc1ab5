package dev.tern.architecture;

import static com.tngtech.archunit.base.DescribedPredicate.describe;
import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.Architectures.LayeredArchitecture;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Tern's architecture as ArchUnit rules, each a function of a {@link Layout} so that
 * {@link ArchitectureTest} can run it on the production classes and prove, on a fixture that breaks
 * it on purpose, that it can fail. The {@code because} of each rule is what a failing build prints.
 */
final class ArchitectureRules {
  private ArchitectureRules() {}

  /** Rule 1a: the core's sub-packages form no cycle. */
  static ArchRule coreFreeOfCycles(Layout l) {
    return slices().matching(l.core() + ".(*)..").namingSlices("core.$1")
        .should().beFreeOfCycles()
        .because("a cycle between two parts of the core means neither can be understood, tested or "
            + "replaced (e.g. by the cluster's ledger) without the other");
  }

  /** Rule 1b: the root package (Failure, Await, CoreConfig) is shared by all and uses none of them. */
  static ArchRule coreRootUsesNoSubPackage(Layout l) {
    return noClasses().that().resideInAPackage(l.core())
        .should().dependOnClassesThat(subPackageOf(l.core()))
        .because("the root package holds only what every part of the core shares, so it can sit "
            + "below all of them");
  }

  /**
   * Rule 2: the core's layers. Features use auth, auth uses delivery, delivery uses the ledger, the
   * ledger uses the leaves; a higher layer may skip lower ones, never the reverse. Among features the
   * direction found in the code is message -> group -> inbox -> people, message -> media and
   * presence -> people. {@code node} wires everything and nothing in the core uses it. The
   * blob port is optional until it is moved out of media. A new core package must be placed in a
   * layer here before it can land.
   */
  static ArchRule coreLayers(Layout l) {
    LayeredArchitecture layers = layeredArchitecture().consideringOnlyDependenciesInLayers()
        .ensureAllClassesAreContainedInArchitectureIgnoring(not(subPackageOf(l.core())))
        .layer("node").definedBy(l.core("node") + "..");
    for (String feature : Layout.FEATURES) {
      layers = layers.layer(feature).definedBy(l.core(feature) + "..");
    }
    layers = layers.layer("auth").definedBy(l.core("auth") + "..")
        .layer("delivery").definedBy(l.core("delivery") + "..")
        .layer("ledger").definedBy(l.core("ledger") + "..");
    for (String leaf : Layout.LEAVES) {
      layers = leaf.equals("blob") || leaf.equals("view")
          ? layers.optionalLayer(leaf).definedBy(l.core(leaf) + "..")
          : layers.layer(leaf).definedBy(l.core(leaf) + "..");
    }
    List<String> features = Layout.FEATURES;
    layers = layers.whereLayer("node").mayNotBeAccessedByAnyLayer()
        .whereLayer("message").mayOnlyBeAccessedByLayers("node")
        .whereLayer("group").mayOnlyBeAccessedByLayers("node", "message")
        .whereLayer("inbox").mayOnlyBeAccessedByLayers("node", "message", "group")
        .whereLayer("people").mayOnlyBeAccessedByLayers("node", "message", "group", "inbox", "presence")
        .whereLayer("media").mayOnlyBeAccessedByLayers("node", "message")
        .whereLayer("search").mayOnlyBeAccessedByLayers("node")
        .whereLayer("presence").mayOnlyBeAccessedByLayers("node")
        .whereLayer("auth").mayOnlyBeAccessedByLayers(with(features, "node"))
        .whereLayer("delivery").mayOnlyBeAccessedByLayers(with(features, "node", "auth"))
        .whereLayer("ledger").mayOnlyBeAccessedByLayers(with(features, "node", "auth", "delivery"));
    for (String leaf : Layout.LEAVES) {
      // The values handed to the edge wrap store records; no other leaf is used sideways.
      String[] users = leaf.equals("store") ? with(features, "node", "auth", "delivery", "ledger", "view")
          : with(features, "node", "auth", "delivery", "ledger");
      layers = layers.whereLayer(leaf).mayOnlyBeAccessedByLayers(users);
    }
    return layers.because("the core is read and changed top-down: a lower layer that reaches up "
        + "(or a leaf that reaches sideways) ties the write kernel to the features it serves");
  }

  /** Rule 3: features and auth never hold the write side; they go through the ledger's facade. */
  static ArchRule featuresUseOnlyTheLedgerFacade(Layout l) {
    return noClasses().that().resideInAnyPackage(l.featuresAndAuth())
        .should().dependOnClassesThat(namedOrNestedIn(
            l.coreClass("store.Store"), l.coreClass("ledger.CommitPipeline"),
            l.coreClass("ledger.Sequencers"), l.coreClass("ledger.LocalLedger")))
        .because("the ledger is the only code that orders, numbers and commits; features read "
            + "through StoreReads and the record types and write through Ledger, the seam where the "
            + "cluster's implementation plugs in (no exception exists)");
  }

  /** Rule 4: the core is free of technology and of the modules around it. */
  static ArchRule coreIsFreeOfTechnology(Layout l) {
    return noClasses().that().resideInAPackage(l.core() + "..")
        .should().dependOnClassesThat().resideInAnyPackage(l.outsideTheCore())
        .because("the core is Tern's domain; transports, stores, indexes and blob stores plug into "
            + "its ports from outside, so each can be replaced or tested without the others");
  }

  /** Rule 5a: no adapter imports another. */
  static ArchRule adaptersAreIndependent(Layout l) {
    return slices().assignedFrom(adapterSlices(l.adapters()))
        .should().notDependOnEachOther()
        .because("each adapter is a module that plugs into the core's ports; only the server wires "
            + "them together");
  }

  /** Rule 5b: a blob adapter sees only the core's blob port (core.blob). */
  static ArchRule blobAdaptersUseOnlyTheBlobPort(Layout l) {
    DescribedPredicate<JavaClass> blobPort = resideInAPackage(l.core("blob") + "..");
    return noClasses().that().resideInAnyPackage(l.blobAdapters().stream().map(p -> p + "..").toArray(String[]::new))
        .should().dependOnClassesThat(DescribedPredicate.and(
            resideInAPackage(l.core() + ".."),
            not(blobPort).as("are not part of the blob port (core.blob)")))
        .because("a blob store implements the blob port and nothing else of the core");
  }

  /** Rule 6: the gateway's media code works on core views, not on the store's media records. */
  static ArchRule gatewayUsesNoMediaRecords(Layout l) {
    return noClasses().that().resideInAPackage(l.gateway() + "..")
        .should().dependOnClassesThat(namedOrNestedIn(
            l.coreClass("store.MediaRecord"), l.coreClass("store.UploadRecord"),
            l.coreClass("store.BlobRefRecord"), l.coreClass("store.MediaUseRecord")))
        .because("store records are the storage format; the edge speaks the media feature's views so "
            + "a store change never reaches the wire");
  }

  /**
   * Rule 7: the edge reads the core's values (core.view) only in its wire package: handlers pass them
   * on, so every field that reaches the wire is chosen in one place. Calls, method references and
   * field accesses all count.
   */
  static ArchRule coreValuesBecomeWireValuesInOnePlace(Layout l) {
    return noClasses().that().resideInAPackage(l.gateway() + "..").and().resideOutsideOfPackage(l.wire() + "..")
        .should().accessTargetWhere(describe("the target is one of the core's values (" + l.core("view") + ")",
            access -> access.getTargetOwner().getPackageName().startsWith(l.core("view"))))
        .because("a wire value built from a core value outside gateway.wire is a second place where the "
            + "two meet; the issue that split the core from the wire asked for one");
  }

  private static DescribedPredicate<JavaClass> subPackageOf(String pkg) {
    return describe("reside in a sub-package of " + pkg, c -> c.getPackageName().startsWith(pkg + "."));
  }

  /** The named classes and the classes nested in them (records' builders, sealed cases). */
  private static DescribedPredicate<JavaClass> namedOrNestedIn(String... names) {
    return describe("are " + String.join(", ", names),
        c -> Stream.of(names).anyMatch(n -> c.getName().equals(n) || c.getName().startsWith(n + "$")));
  }

  private static SliceAssignment adapterSlices(List<String> adapters) {
    return new SliceAssignment() {
      @Override
      public SliceIdentifier getIdentifierOf(JavaClass c) {
        String pkg = c.getPackageName();
        return adapters.stream().filter(a -> pkg.equals(a) || pkg.startsWith(a + "."))
            .findFirst().map(SliceIdentifier::of).orElse(SliceIdentifier.ignore());
      }

      @Override
      public String getDescription() {
        return "adapters " + adapters;
      }
    };
  }

  private static String[] with(List<String> layers, String... more) {
    List<String> all = new ArrayList<>(layers);
    all.addAll(List.of(more));
    return all.toArray(String[]::new);
  }
}
