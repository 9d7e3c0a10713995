package io.warren.it;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The components warren bundles for route files work in a route file dropped in the routes folder:
 * http calls warren's own API, jsonpath and jq read the answer, log writes it.
 */
class ComponentsIT {

    @Test
    void aRouteFileUsesHttpJsonpathJqAndLog() throws Exception {
        try (InProcessWarren warren = InProcessWarren.start(List.of("echo.yaml", "probe.yaml", "components.yaml"),
                Map.of("test.admin-key", TestWarren.ADMIN_KEY))) {
            Await.until("the components route ran", Duration.ofSeconds(30),
                    () -> warren.log().contains("components: types echo,probe, first echo"));
        }
    }
}
