# warren as a container: build with Maven, run on a small JRE 21 image as a non-root user.
#   docker build -t warren .
#   docker run -p 8080:8080 -e WARREN_RABBITMQ_URL=amqp://user:pass@rabbit:5672/ warren
FROM maven:3.9-eclipse-temurin-21 AS build
WORKDIR /src
COPY pom.xml .
RUN mvn -B -q dependency:go-offline
COPY application.properties .
COPY src src
RUN mvn -B -q package -DskipTests

FROM eclipse-temurin:21-jre
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --home-dir /app --shell /usr/sbin/nologin warren
WORKDIR /app
COPY --from=build /src/target/warren.jar /app/warren.jar
COPY routes /app/routes
COPY jvm.options /app/jvm.options
RUN mkdir -p /app/plugins /app/data && chown -R warren:warren /app
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
