package dev.tern.archfixture.core.search;

public class Search {
  dev.tern.archfixture.core.auth.Principal principal;
}
