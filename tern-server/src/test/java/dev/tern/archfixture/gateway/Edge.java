package dev.tern.archfixture.gateway;

public class Edge {
  dev.tern.archfixture.core.node.Wiring wiring;
}
