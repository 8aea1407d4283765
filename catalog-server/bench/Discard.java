/*
 * The discard endpoint issue 17's ingest ratio is measured against: accepts any POST, reads the
 * whole body and answers 201 with a small JSON body, as fast as the JDK's HTTP server can. It
 * shows what LoadGen and this machine manage with nothing behind the endpoint.
 *
 *   java catalog-server/bench/Discard.java 5099
 */
import com.sun.net.httpserver.HttpServer;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;

public class Discard {
    public static void main(String[] args) throws Exception {
        // Without it the JDK server's separate header and body writes meet delayed ACKs: 40 ms per request.
        System.setProperty("sun.net.httpserver.nodelay", "true");
        int port = Integer.parseInt(args.length > 0 ? args[0] : "5099");
        byte[] answer = "{\"status\":\"discarded\"}".getBytes(StandardCharsets.UTF_8);
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 256);
        server.createContext("/", exchange -> {
            try (InputStream in = exchange.getRequestBody()) {
                in.transferTo(OutputStream.nullOutputStream());
            }
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(201, answer.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(answer);
            }
        });
        server.setExecutor(Executors.newFixedThreadPool(32));
        server.start();
        System.out.println("discarding on " + port);
    }
}
