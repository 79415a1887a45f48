package dev.faultline.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.faultline.cli.FaultlineCommand;
import dev.faultline.config.ConfigResult;
import dev.faultline.config.FaultlineConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * docker-compose.yml and the Dockerfile cannot run here (no Docker engine), so this checks what can
 * be checked: the compose file parses, its Faultline services' environment is valid config and
 * their commands parse with the real command line, and every file the image build copies exists.
 */
class DeploymentFilesTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    /** Read with SnakeYAML, which resolves anchors and {@code <<} merge keys as Compose does (Jackson does not). */
    private static JsonNode compose() throws IOException {
        Object tree = new org.yaml.snakeyaml.Yaml().load(Files.readString(ROOT.resolve("docker-compose.yml")));
        return new YAMLMapper().valueToTree(tree);
    }

    @Test
    void shouldDefineKafkaTopicsFaultlineAndGeneratorServices() throws IOException {
        JsonNode services = compose().get("services");
        assertThat(services).isNotNull();
        List<String> names = new ArrayList<>();
        services.fieldNames().forEachRemaining(names::add);
        assertThat(names).contains("kafka", "topics", "faultline", "generator");
        assertThat(services.at("/faultline/build").asText()).isEqualTo(".");
    }

    @Test
    void shouldGiveFaultlineAnEnvironmentThatIsValidConfig() throws IOException {
        JsonNode service = compose().at("/services/faultline");
        Map<String, String> env = new HashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = service.get("environment").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            env.put(e.getKey(), e.getValue().asText());
        }
        assertThat(env).containsKey("FAULTLINE_KAFKA_BOOTSTRAP_SERVERS");
        ConfigResult result = FaultlineConfig.load(ROOT.resolve("config/faultline.yaml"), env);
        assertThat(result.errors()).isEmpty();
        assertThat(result.orThrow().bootstrapServers()).isEqualTo("kafka:9092");
        assertThat(result.orThrow().serviceBindings()).isNotEmpty();
    }

    @Test
    void shouldGiveFaultlineImagesCommandsTheCommandLineAccepts() throws IOException {
        for (String name : List.of("faultline", "generator")) {
            List<String> args = new ArrayList<>();
            compose().at("/services/" + name + "/command").forEach(a -> args.add(a.asText()));
            List<String> resolved = args.stream()
                    .map(a -> a.equals("/etc/faultline/faultline.yaml") ? ROOT.resolve("config/faultline.yaml").toString() : a)
                    .toList();
            // parseArgs validates subcommand, options and values without running anything.
            FaultlineCommand.commandLine().parseArgs(resolved.toArray(String[]::new));
        }
    }

    @Test
    void shouldCopyOnlyFilesThatExistIntoTheImage() throws IOException {
        String dockerfile = Files.readString(ROOT.resolve("Dockerfile"));
        Matcher copy = Pattern.compile("(?m)^COPY (?!--from)(\\S+(?: \\S+)*?) \\S+$").matcher(dockerfile);
        int copies = 0;
        while (copy.find()) {
            for (String source : copy.group(1).split(" ")) {
                assertThat(ROOT.resolve(source)).as("COPY source " + source).exists();
                copies++;
            }
        }
        assertThat(copies).isGreaterThanOrEqualTo(6);
        assertThat(dockerfile).contains("COPY --from=build /src/topology/target/faultline.jar");
        String pom = Files.readString(ROOT.resolve("topology/pom.xml"));
        assertThat(pom).as("the jar the image copies is the one the build makes").contains("<finalName>faultline</finalName>");
    }
}
