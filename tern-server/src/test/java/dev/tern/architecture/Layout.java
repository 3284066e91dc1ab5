package dev.tern.architecture;

import java.util.List;
import java.util.stream.Stream;

/**
 * Where Tern's parts live below one base package. The rules are written against a layout rather
 * than literal package names so the very same rule runs on the production classes ({@link #TERN})
 * and on the deliberately broken miniature in {@code dev.tern.archfixture} ({@link #FIXTURE}).
 */
record Layout(String base) {
  static final Layout TERN = new Layout("dev.tern");
  static final Layout FIXTURE = new Layout("dev.tern.archfixture");

  /** What users see, in the order they may use one another (see {@link ArchitectureRules#coreLayers}). */
  static final List<String> FEATURES =
      List.of("message", "group", "inbox", "people", "media", "search", "presence");

  /**
   * The core's leaves: ports, policies and the values handed to the edge (view), which use no other
   * part of the core (view alone uses the store's records, which its values wrap).
   */
  static final List<String> LEAVES = List.of("store", "blob", "admission", "limits", "view");

  String core() {
    return base + ".core";
  }

  String core(String subPackage) {
    return core() + "." + subPackage;
  }

  /** A class of the core by its path below the core, e.g. {@code store.Store}. */
  String coreClass(String path) {
    return core() + "." + path;
  }

  String gateway() {
    return base + ".gateway";
  }

  /** The one package where the core's values and wire values meet. */
  String wire() {
    return gateway() + ".wire";
  }

  /** The feature packages plus auth: the code that must reach durability only through the ledger. */
  String[] featuresAndAuth() {
    return Stream.concat(FEATURES.stream(), Stream.of("auth")).map(p -> core(p) + "..").toArray(String[]::new);
  }

  /** The technology adapters, each one module, none of which may import another. */
  List<String> adapters() {
    return List.of(base + ".store.rocksdb", base + ".search.lucene", base + ".blob.fs", base + ".blob.s3", gateway());
  }

  List<String> blobAdapters() {
    return List.of(base + ".blob.fs", base + ".blob.s3");
  }

  /** What the core may never import: transport, storage and search technology, and the outer modules. */
  String[] outsideTheCore() {
    return new String[] {
      "io.netty..", "org.rocksdb..", "org.apache.lucene..", "software.amazon..",
      base + ".protocol..", gateway() + "..", base + ".server..", base + ".store..", base + ".search..", base + ".blob..", base + ".client.."
    };
  }
}
