package io.warren.store;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/** Waiting for a future from a caller that expects the failure itself, not Java's wrapper of it. */
public final class Futures {

    private Futures() {
    }

    /** The future's value; a failure of the given kind is thrown as itself, not wrapped. */
    public static <T, E extends Exception> T join(CompletableFuture<T> future, Class<E> kind) throws E {
        try {
            return future.join();
        } catch (CompletionException e) {
            if (kind.isInstance(e.getCause())) {
                throw kind.cast(e.getCause());
            }
            throw e;
        }
    }
}
