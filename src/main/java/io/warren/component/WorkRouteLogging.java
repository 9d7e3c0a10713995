package io.warren.component;

import org.apache.camel.model.ModelLifecycleStrategy;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.model.RouteTemplateDefinition;
import org.apache.camel.model.errorhandler.DefaultErrorHandlerDefinition;
import org.apache.camel.model.errorhandler.RefErrorHandlerDefinition;

/**
 * A route from warren:work without an error handler of its own gets Camel's default one minus its
 * exhausted-failure log: warren logs each failed attempt once, with what happens next (retry in
 * n ms, dead), and keeps the failure in the job's history. onException in the route works as usual
 * (its retries within an attempt are not logged by Camel either).
 */
public class WorkRouteLogging implements ModelLifecycleStrategy {

    @Override
    public void onAddRouteDefinition(RouteDefinition route) {
        String from = route == null || route.getInput() == null ? null : route.getInput().getEndpointUri();
        if (from != null && from.startsWith("warren:work:") && usesTheDefault(route)) {
            route.setErrorHandlerFactory(new DefaultErrorHandlerDefinition().logExhausted(false).loggingLevel("OFF"));
        }
    }

    /** No error handler named in the route: none set, or the builder's reference to Camel's default. */
    private static boolean usesTheDefault(RouteDefinition route) {
        if (!route.isErrorHandlerFactorySet()) {
            return true;
        }
        return route.getErrorHandlerFactory() instanceof RefErrorHandlerDefinition ref
                && RefErrorHandlerDefinition.DEFAULT_ERROR_HANDLER_BUILDER.equals(ref.getRef());
    }

    @Override
    public void onRemoveRouteDefinition(RouteDefinition route) {
    }

    @Override
    public void onAddRouteTemplateDefinition(RouteTemplateDefinition template) {
    }

    @Override
    public void onRemoveRouteTemplateDefinition(RouteTemplateDefinition template) {
    }
}
