# syntax=docker/dockerfile:1
# Faultline: multi-stage build. Stage 1 builds the shaded jar with Maven; stage 2 runs it on a JRE.
#   docker build -t faultline .
#   docker run --rm faultline --help

FROM maven:3-eclipse-temurin-17 AS build
WORKDIR /src
# POMs first: the dependency download layer is reused until a POM changes.
COPY pom.xml ./
COPY catalog/pom.xml catalog/
COPY topology/pom.xml topology/
COPY benchmarks/pom.xml benchmarks/
RUN mvn -B -q -pl catalog,topology -am dependency:go-offline -DexcludeGroupIds=dev.faultline || true
COPY catalog/src catalog/src
COPY topology/src topology/src
RUN mvn -B -q -pl catalog,topology -am package -DskipTests

FROM eclipse-temurin:17-jre
# An unprivileged user with a writable state directory (Kafka Streams' RocksDB stores live there).
RUN useradd --system --uid 10001 --home-dir /var/lib/faultline faultline \
    && mkdir -p /var/lib/faultline /etc/faultline \
    && chown faultline /var/lib/faultline
COPY --from=build /src/topology/target/faultline.jar /opt/faultline/faultline.jar
COPY config/faultline.yaml /etc/faultline/faultline.yaml
USER faultline
WORKDIR /var/lib/faultline
ENV FAULTLINE_STATE_DIR=/var/lib/faultline/state \
    JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError"
ENTRYPOINT ["java", "-jar", "/opt/faultline/faultline.jar"]
CMD ["run", "--config", "/etc/faultline/faultline.yaml"]
