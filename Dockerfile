# warren as a container: build with Maven, cut a Java runtime down to the modules warren uses
# (jlink), run it on Debian slim as a non-root user.
#   docker build -t warren .
#   docker run -p 8080:8080 -e WARREN_RABBITMQ_URL=amqp://user:pass@rabbit:5672/ warren
FROM maven:3.9-eclipse-temurin-21 AS build
WORKDIR /src
COPY pom.xml .
RUN mvn -B -q dependency:go-offline
COPY application.properties .
COPY src src
RUN mvn -B -q package -DskipTests
# the modules jdeps finds in warren and its dependencies, plus two it cannot see because they are
# loaded as services: jdk.crypto.ec (TLS with elliptic curves) and jdk.charsets
RUN jlink --add-modules java.base,java.compiler,java.desktop,java.instrument,java.naming,java.net.http,java.prefs,java.rmi,java.scripting,java.security.jgss,java.security.sasl,java.sql,jdk.jfr,jdk.management,jdk.net,jdk.unsupported,jdk.crypto.ec,jdk.charsets \
    --strip-java-debug-attributes --no-man-pages --no-header-files --compress=2 --generate-cds-archive --output /jre

FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends curl && apt-get clean && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --home-dir /app --shell /usr/sbin/nologin warren
COPY --from=build /jre /opt/java
ENV JAVA_HOME=/opt/java \
    PATH=/opt/java/bin:$PATH
WORKDIR /app
COPY --from=build /src/target/warren.jar /app/warren.jar
COPY routes /app/routes
COPY jvm.options /app/jvm.options
# warren writes only to its data folder; the jar, routes and plugins stay root's (and a recursive
# chown would copy the jar into a layer of its own)
RUN mkdir -p /app/plugins /app/data && chown warren:warren /app/data
USER warren
# a container never falls back to the embedded development broker: no RabbitMQ is an error
ENV WARREN_BROKER=external \
    WARREN_ROUTES_DIR=/app/routes \
    WARREN_PLUGINS_DIR=/app/plugins \
    WARREN_DATA_DIR=/app/data \
    WARREN_HTTP_PORT=8080 \
    JAVA_OPTS="-XX:MaxRAMPercentage=75"
VOLUME ["/app/routes", "/app/plugins", "/app/data"]
EXPOSE 8080
# liveness: a restart would not bring back a missing broker or database, so readiness
# (/observe/health/ready) is for load balancers, not for this check
HEALTHCHECK --interval=15s --timeout=3s --start-period=60s --retries=3 \
    CMD curl -fsS "http://127.0.0.1:${WARREN_HTTP_PORT}/observe/health/live" || exit 1
# exec form: SIGTERM reaches the JVM, which drains running jobs before exiting
ENTRYPOINT ["sh", "-c", "exec java @/app/jvm.options $JAVA_OPTS -jar /app/warren.jar"]
