package io.fal4j.deployment;

import io.restassured.RestAssured;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** Raw requests that RestAssured will not send: no Content-Type, arbitrary bytes, streamed bodies. */
final class Http {

    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    private Http() {
    }

    static HttpResponse<String> post(String path, HttpRequest.BodyPublisher body, String contentType) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + RestAssured.port + path))
                .POST(body);
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        try {
            return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    static HttpResponse<String> post(String path, byte[] body, String contentType) {
        return post(path, HttpRequest.BodyPublishers.ofByteArray(body), contentType);
    }

    static HttpResponse<String> post(String path, String body, String contentType) {
        return post(path, HttpRequest.BodyPublishers.ofString(body), contentType);
    }
}
