package io.warren.api;

/** A failure that retrying cannot fix: the job is dead-lettered at once, without redelivery. */
public class PermanentJobFailure extends Exception {

    public PermanentJobFailure(String message) {
        super(message);
    }

    public PermanentJobFailure(String message, Throwable cause) {
        super(message, cause);
    }
}
