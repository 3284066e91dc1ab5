package dev.tern.core.store;

/** The store could not do what was asked (I/O error, disk full, closed). Nothing of a failed write is visible. */
public class StoreException extends RuntimeException {
    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }

    public StoreException(String message) {
        super(message);
    }
}
