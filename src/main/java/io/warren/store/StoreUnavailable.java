package io.warren.store;

/** The job database could not be reached or refused a statement. */
public class StoreUnavailable extends RuntimeException {

    public StoreUnavailable(String message, Throwable cause) {
        super(message, cause);
    }
}
