package io.waymark.catalog.alert;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.waymark.catalog.api.JsonView;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Properties;

/**
 * Puts one delivery on the wire: an HTTP POST for webhook, Slack and PagerDuty (2xx is success;
 * a webhook body is signed {@code X-Waymark-Signature: sha256=<hex HMAC-SHA256 of the body>} with
 * the channel's secret), or an e-mail over SMTP (STARTTLS required when set, auth when a user is
 * set). Answers the error in words, or null when the receiver took it; never logs a secret.
 */
final class Sender {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).followRedirects(HttpClient.Redirect.NEVER).build();

    String send(ChannelRow channel, JsonNode secrets, DeliveryRow delivery) {
        JsonNode settings = JsonView.parse(channel.settings());
        return switch (channel.type()) {
            case "webhook" -> post(settings.path("url").asText(), delivery.payload(), secrets.path("secret").asText(null), delivery);
            case "slack" -> post(secrets.path("url").asText(), delivery.payload(), null, delivery);
            case "pagerduty" -> {
                ObjectNode event = (ObjectNode) JsonView.parse(delivery.payload());
                ObjectNode withKey = JsonView.F.objectNode().put("routing_key", secrets.path("routingKey").asText());
                withKey.setAll(event);
                yield post(settings.path("url").asText(), JsonView.write(withKey), null, delivery);
            }
            case "email" -> mail(settings, secrets, JsonView.parse(delivery.payload()));
            default -> "unknown channel type " + channel.type();
        };
    }

    private String post(String url, String body, String secret, DeliveryRow delivery) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(TIMEOUT)
                .header("Content-Type", "application/json").header("User-Agent", "Waymark-Alerts/1")
                .header("X-Waymark-Delivery", delivery.id()).POST(HttpRequest.BodyPublishers.ofByteArray(bytes));
        if (secret != null && !secret.isEmpty()) {
            request.header("X-Waymark-Signature", "sha256=" + hmac(secret, bytes));
        }
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 == 2) {
                return null;
            }
            String answer = response.body() == null ? "" : response.body().strip();
            return "the receiver answered " + response.statusCode() + (answer.isEmpty() ? "" : ": " + (answer.length() > 300 ? answer.substring(0, 300) + "…" : answer));
        } catch (IOException e) {
            return "unreachable: " + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted (the server is stopping); it will be retried";
        }
    }

    static String hmac(String secret, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private String mail(JsonNode settings, JsonNode secrets, JsonNode message) {
        Properties props = new Properties();
        props.put("mail.smtp.host", settings.path("host").asText());
        props.put("mail.smtp.port", String.valueOf(settings.path("port").asInt()));
        props.put("mail.smtp.connectiontimeout", String.valueOf(TIMEOUT.toMillis()));
        props.put("mail.smtp.timeout", String.valueOf(TIMEOUT.toMillis()));
        props.put("mail.smtp.writetimeout", String.valueOf(TIMEOUT.toMillis()));
        boolean starttls = settings.path("starttls").asBoolean(true);
        props.put("mail.smtp.starttls.enable", String.valueOf(starttls));
        // STARTTLS asked for is STARTTLS required: never fall back to sending credentials in the clear.
        props.put("mail.smtp.starttls.required", String.valueOf(starttls));
        String user = settings.path("user").asText(null);
        props.put("mail.smtp.auth", String.valueOf(user != null));
        Session session = Session.getInstance(props);
        try {
            MimeMessage mail = new MimeMessage(session);
            mail.setFrom(new InternetAddress(settings.path("from").asText()));
            for (JsonNode to : settings.path("to")) {
                mail.addRecipient(Message.RecipientType.TO, new InternetAddress(to.asText()));
            }
            mail.setSubject(message.path("subject").asText(), "UTF-8");
            mail.setText(message.path("text").asText(), "UTF-8");
            if (user != null) {
                Transport.send(mail, user, secrets.path("password").asText(""));
            } else {
                Transport.send(mail);
            }
            return null;
        } catch (MessagingException e) {
            String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().strip();
            return "SMTP: " + (why.length() > 300 ? why.substring(0, 300) + "…" : why);
        }
    }
}
