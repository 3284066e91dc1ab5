package dev.tern.archfixture.core.limits;

/** Breaks rule 2: a leaf reaching up to auth (as Tern's limits do for Principal today). */
public class Limits {
  dev.tern.archfixture.core.auth.Principal owner;
}
