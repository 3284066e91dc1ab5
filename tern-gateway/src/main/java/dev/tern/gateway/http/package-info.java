/**
 * Plain HTTP on the gateway's port (everything but {@code /ws} and {@code /media}): health and
 * readiness, metrics, the web client's static files, the API pointer and the admin endpoints
 * (online backup), plus the answer to a request the HTTP decoder could not parse.
 *
 * <p>Invariants: requests arrive aggregated and bounded (16 KiB); nothing here blocks an event loop
 * (a static file is read once from the class path and kept; backups run on a virtual thread); the admin endpoints
 * exist only when a token is configured, which is compared in constant time; every error is a JSON
 * body with a stable status, never a stack trace.
 */
package dev.tern.gateway.http;
