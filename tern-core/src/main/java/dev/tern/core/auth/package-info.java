/**
 * Accounts, passwords and tickets.
 *
 * <p>Invariants: passwords are kept only as Argon2id hashes; tickets are 256-bit random values kept
 * only as SHA-256 hashes with an expiry; neither a password nor a ticket is ever logged or
 * returned after login. A wrong password and an unknown user give the same error and take about
 * the same time. Usernames are compared in canonical (lower-case) form.
 */
package dev.tern.core.auth;
