package io.fal4j.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The packaged app as a user ships it: serves the peer's /echo shapes, logs with request ids, has its metadata beside it. */
class PackagedAppIT {

    @Test
    void servesTheEchoShapesAndTagsLogLinesWithTheRequestId() throws Exception {
        try (RunnerProcess runner = RunnerProcess.start(Map.of())) {
            runner.awaitState("READY", Duration.ofSeconds(30));
            HttpResponse<String> echo = runner.post("/echo",
                    "{\"prompt\":\"a watercolor fox in the snow\",\"seed\":7,\"width\":512}", null);
            assertEquals(200, echo.statusCode(), echo.body());
            assertEquals("{\"image\":{\"url\":\"http://127.0.0.1/none.png\",\"content_type\":\"image/png\","
                    + "\"width\":512,\"height\":256,\"file_size\":0},\"seed\":7}", echo.body());

            HttpResponse<String> slow = runner.post("/slow", "{\"millis\":20}", "it-request-1");
            assertEquals(200, slow.statusCode(), slow.body());
            assertEquals("it-request-1", slow.headers().firstValue("x-fal-request-id").orElseThrow());
            String log = runner.log();
            assertTrue(log.lines().anyMatch(line -> line.contains("[it-request-1]") && line.contains("slept")), log);

            HttpResponse<String> png = runner.post("/png", "{\"prompt\":\"p\",\"seed\":7,\"width\":96,\"height\":64}",
                    null);
            assertEquals(200, png.statusCode(), png.body());
            JsonNode image = RunnerProcess.JSON.readTree(png.body()).path("image");
            String url = image.path("url").asText();
            assertTrue(url.matches("http://127\\.0\\.0\\.1:\\d+/files/[0-9a-f]{64}\\.png"), url);
            assertEquals(96, image.path("width").asInt());
            HttpResponse<String> stored = runner.get(url.substring(url.indexOf("/files/")));
            assertEquals(200, stored.statusCode());
            assertEquals("image/png", stored.headers().firstValue("Content-Type").orElseThrow());

            assertEquals(200, runner.get("/openapi.json").statusCode());
            assertTrue(runner.get("/metrics").body().contains("fal4j_requests_seconds_count{endpoint=\"/echo\""));
        }
    }

    @Test
    void theBuildWroteTheMetadataNextToThePackagedApp() throws Exception {
        Path appDir = Path.of(System.getProperty("app.dir", "target/quarkus-app"));
        JsonNode metadata = RunnerProcess.JSON.readTree(appDir.resolveSibling("fal4j-app.json").toFile());
        assertEquals("echo", metadata.path("name").asText());
        assertEquals(64, metadata.path("knobs").path("max_multiplexing").asInt());
        List<String> paths = new ArrayList<>();
        metadata.path("endpoints").forEach(endpoint -> paths.add(endpoint.path("path").asText()));
        assertEquals(List.of("/echo", "/png", "/slow"), paths);
        assertTrue(metadata.path("image").path("dockerfile").asText().startsWith("FROM "));
    }
}
