package io.waymark.agent.transport;

import io.openlineage.client.OpenLineage;
import io.openlineage.client.OpenLineageClientUtils;
import io.openlineage.client.transports.ApiKeyTokenProvider;
import io.openlineage.client.transports.HttpConfig;
import io.openlineage.client.transports.HttpTransport;
import io.openlineage.client.transports.HttpTransportResponseException;

import java.net.URI;

/**
 * Posts one event with openlineage-java's HTTP transport (bearer token, timeouts) and says what
 * became of it: delivered, worth retrying later (unreachable, 5xx, 408, 429, 401/403 while a
 * token is being fixed), or refused for good (any other 4xx: the event itself is wrong).
 */
public final class Sender implements AutoCloseable {
    public enum Outcome { DELIVERED, RETRY, REFUSED }

    private final URI url;
    private final String token;
    private final int timeoutMs;
    /** Built on first use, on the thread that sends: the HTTP client's start-up is not the host's to pay. */
    private HttpTransport transport;

    public Sender(URI url, String token, int timeoutMs) {
        this.url = url;
        this.token = token;
        this.timeoutMs = timeoutMs;
    }

    private synchronized HttpTransport transport() {
        if (transport != null) {
            return transport;
        }
        HttpConfig config = new HttpConfig();
        config.setUrl(url);
        config.setEndpoint("/api/v1/lineage");
        config.setTimeoutInMillis(timeoutMs);
        if (token != null) {
            ApiKeyTokenProvider auth = new ApiKeyTokenProvider();
            auth.setApiKey(token);
            config.setAuth(auth);
        }
        transport = new HttpTransport(config);
        return transport;
    }

    public Outcome send(String json) {
        return send(json, null);
    }

    /** Sends the event; {@code event} is its model when the caller has it (else read from the JSON). */
    public Outcome send(String json, OpenLineage.RunEvent event) {
        if (event == null) {
            try {
                event = OpenLineageClientUtils.runEventFromJson(json);
            } catch (RuntimeException e) {
                return Outcome.REFUSED;
            }
        }
        try {
            transport().emit(event);
            return Outcome.DELIVERED;
        } catch (HttpTransportResponseException e) {
            int code = e.getStatusCode();
            return code >= 500 || code == 408 || code == 429 || code == 401 || code == 403 ? Outcome.RETRY : Outcome.REFUSED;
        } catch (RuntimeException e) {
            return Outcome.RETRY;
        }
    }

    @Override
    public synchronized void close() {
        if (transport == null) {
            return;
        }
        try {
            transport.close();
        } catch (Exception ignored) {
            // Closing a pool at exit: nothing to do about a failure.
        }
    }
}
