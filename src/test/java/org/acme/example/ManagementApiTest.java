package org.acme.example;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.acme.example.fault.FaultJson;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/**
 * The management API reference (src/site/markdown/management-api.md) stays true: every route its table lists is
 * called, in the table's order, with the table's example body, and answers the first status the table lists, in
 * JSON (the metrics excepted); every fault setting has its row; errors have the documented shape on each port.
 */
@QuarkusTest
class ManagementApiTest {

    static final Path REFERENCE = Path.of("src", "site", "markdown", "management-api.md");

    @TestHTTPResource(value = "/", management = true)
    URL management;

    /** One row of the route table. */
    record Route(String method, String path, String body, List<Integer> statuses) {
    }

    static List<Route> routes() throws IOException {
        String reference = Files.readString(REFERENCE);
        String table = reference.substring(reference.indexOf("## Routes"), reference.indexOf("\n## ", reference.indexOf("## Routes") + 1));
        List<Route> routes = new ArrayList<>();
        for (String line : table.lines().filter(line -> line.matches("\\| (GET|PUT|DELETE|POST|HEAD|PATCH) \\|.*")).toList()) {
            String[] cells = line.split(" \\| ");
            String body = cells[2].strip();
            List<Integer> statuses = new ArrayList<>();
            for (String status : cells[4].replace("|", "").split(",")) {
                statuses.add(Integer.parseInt(status.strip()));
            }
            routes.add(new Route(cells[0].replace("|", "").strip(), unquote(cells[1]),
                    body.equals("—") ? null : unquote(body), statuses));
        }
        return routes;
    }

    private static String unquote(String cell) {
        String text = cell.strip();
        assertTrue(text.startsWith("`") && text.endsWith("`"), "in backticks: " + text);
        return text.substring(1, text.length() - 1);
    }

    @Test
    void everyListedRouteAnswersAsDocumented() throws IOException {
        List<Route> routes = routes();
        assertTrue(routes.size() >= 10, "the table lists " + routes);
        for (Route route : routes) {
            RequestSpecification request = given();
            if (route.body() != null) {
                request.contentType(ContentType.JSON).body(route.body());
            }
            Response response = request.request(route.method(), url(route.path()));
            String call = route.method() + " " + route.path() + ": " + response.asString();
            assertEquals(route.statuses().get(0), response.statusCode(), call);
            if (!route.path().equals("/metrics")) {
                assertTrue(response.contentType().startsWith("application/json"), call);
            }
        }
    }

    @Test
    void everyFaultSettingIsDocumented() throws IOException {
        String reference = Files.readString(REFERENCE);
        for (String field : FaultJson.SETTINGS) {
            assertTrue(reference.contains("| `" + field + "`") || reference.contains("`" + field + "` |")
                    || reference.contains(", `" + field + "` |"), field + " has no row in " + REFERENCE);
        }
        assertTrue(reference.contains("| `" + FaultJson.FOR + "` |"), "for");
    }

    /** JSON on the management port, whatever the status. */
    @Test
    void errorsOnTheManagementPortAreJson() {
        given().get(url("/faults")).then().statusCode(404).contentType(ContentType.JSON)
                .body("error", startsWith("404 Not Found: no route /faults on the management port"));
        given().post(url("/fault")).then().statusCode(405).contentType(ContentType.JSON)
                .body("error", startsWith("405 Method Not Allowed"));
        given().contentType(ContentType.JSON).body("{\"failureRate\": 0.5" + " ".repeat(5000) + "}").put(url("/fault"))
                .then().statusCode(413).contentType(ContentType.JSON).body("error", startsWith("413 Request Entity Too Large"));
        given().contentType(ContentType.JSON).body("{\"failureRate\": 0.5,}").put(url("/fault")).then().statusCode(400)
                .contentType(ContentType.JSON).body("error", containsString("at line 1, column"));
    }

    /** Plain text on the main port, as /example answers. */
    @Test
    void errorsOnTheMainPortArePlainText() {
        given().get("/no-such-page").then().statusCode(404).contentType(startsWith("text/plain"))
                .body(equalTo("404 Not Found\n"));
        given().post("/example").then().statusCode(405).contentType(startsWith("text/plain"))
                .body(equalTo("405 Method Not Allowed\n"));
        given().get("/example?status=abc").then().contentType(startsWith("text/plain"));
    }

    private String url(String path) {
        return management.toString().replaceAll("/$", "") + path;
    }
}
