package dev.tern.core.admission;

/**
 * How much a request matters when the server is overloaded. Lower priorities are refused first:
 * a messenger that answers logins, syncs and sends but drops typing notices is still usable.
 */
public enum Priority {
    /** Hello, login, resume, sync, logout: what a client needs to get back in and catch up. */
    HIGH,
    /** Sends, group changes, read markers, history, registration. */
    NORMAL,
    /** Typing notices and presence queries: ephemeral, safe to drop. */
    LOW
}
