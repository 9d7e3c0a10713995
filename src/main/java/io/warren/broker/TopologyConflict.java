package io.warren.broker;

/** The broker refused a declaration because the queue or exchange exists with other arguments. */
public class TopologyConflict extends RuntimeException {

    public TopologyConflict(String message, Throwable cause) {
        super(message, cause);
    }
}
