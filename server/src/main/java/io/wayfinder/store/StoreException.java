package io.wayfinder.store;

/** The store could not do what was asked: the storage failed (a full disk, a damaged or locked file). */
public final class StoreException extends RuntimeException {
    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }

    public StoreException(String message) {
        super(message);
    }
}
