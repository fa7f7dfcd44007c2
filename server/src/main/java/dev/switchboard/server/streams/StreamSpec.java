package dev.switchboard.server.streams;

/**
 * How a stream is configured when it is created, and what an idempotent re-creation must match.
 *
 * @param contentType its media type, as given (compared without parameters and case)
 * @param ttlSeconds  a sliding idle time-to-live (each read or write renews it), or null
 * @param expiresAt   an absolute expiry (RFC 3339, as given), or null
 * @param closed      created closed: its initial body is all it will ever hold
 * @param owner       who may read it besides API-key holders (a resumable reply's requester), or null
 */
public record StreamSpec(String contentType, Long ttlSeconds, String expiresAt, boolean closed, String owner) {

    public static final String DEFAULT_CONTENT_TYPE = "application/octet-stream";

    /** The media type without parameters, lower-cased ("" for none). */
    public static String mediaType(String contentType) {
        if (contentType == null) {
            return "";
        }
        int semi = contentType.indexOf(';');
        return (semi < 0 ? contentType : contentType.substring(0, semi)).trim().toLowerCase(java.util.Locale.ROOT);
    }

    /** Whether the stream is in JSON mode (message boundaries kept, arrays flattened one level). */
    public boolean json() {
        return isJson(contentType);
    }

    public static boolean isJson(String contentType) {
        return "application/json".equals(mediaType(contentType));
    }

    /** Whether SSE carries the data as text (text/*, JSON) rather than base64. */
    public boolean textual() {
        String media = mediaType(contentType);
        return media.startsWith("text/") || media.equals("application/json");
    }
}
