package dev.switchboard.server.internal.durable;

import dev.switchboard.server.internal.durable.StreamAnswers.BadRequest;
import dev.switchboard.server.internal.transport.HttpRequestData;
import dev.switchboard.server.internal.transport.HttpResult;
import dev.switchboard.server.streams.Producer;
import dev.switchboard.server.streams.StreamAppend;
import dev.switchboard.server.streams.StreamAppended;
import dev.switchboard.server.streams.StreamCreated;
import dev.switchboard.server.streams.StreamFork;
import dev.switchboard.server.streams.StreamOffsets;
import dev.switchboard.server.streams.StreamSpec;
import dev.switchboard.server.streams.StreamState;
import dev.switchboard.server.streams.StreamStore;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;

/**
 * The write side of the protocol: {@code PUT} creates (or forks, or confirms) a stream, {@code POST} appends
 * and/or closes it (with {@code Stream-Seq} and idempotent producer headers), {@code DELETE} removes it. Headers
 * are validated here, strictly, as the protocol words them; the store decides everything that depends on
 * the stream.
 */
final class StreamWrites {

    private static final Pattern DECIMAL = Pattern.compile("0|[1-9]\\d*");
    private static final Pattern DIGITS = Pattern.compile("\\d+");
    private static final Pattern MEDIA_TYPE = Pattern.compile("^[\\w.+-]+/[\\w.+-]+.*");

    private final StreamStore store;
    private final StreamPaths paths;

    StreamWrites(StreamStore store, StreamPaths paths) {
        this.store = store;
        this.paths = paths;
    }

    // ---- PUT ------------------------------------------------------------------------------------------------

    CompletableFuture<HttpResult> create(String path, HttpRequestData request, String writer) throws BadRequest {
        String forkedFrom = request.header(StreamHeaders.FORKED_FROM);
        String contentType = request.header("Content-Type");
        if (contentType == null || contentType.isBlank() || !MEDIA_TYPE.matcher(contentType.trim()).matches()) {
            contentType = forkedFrom != null ? null : StreamSpec.DEFAULT_CONTENT_TYPE;
        }
        String ttl = request.header(StreamHeaders.TTL);
        String expiresAt = request.header(StreamHeaders.EXPIRES_AT);
        if (ttl != null && expiresAt != null) {
            throw new BadRequest("Cannot specify both Stream-TTL and Stream-Expires-At");
        }
        if (ttl != null && !DECIMAL.matcher(ttl).matches()) {
            throw new BadRequest("Invalid Stream-TTL value");
        }
        if (expiresAt != null) {
            try {
                OffsetDateTime.parse(expiresAt);
            } catch (DateTimeParseException e) {
                throw new BadRequest("Invalid Stream-Expires-At timestamp (RFC 3339)");
            }
        }
        StreamFork fork = fork(forkedFrom, request);
        StreamSpec spec = new StreamSpec(contentType, ttl == null ? null : Long.parseLong(ttl), expiresAt,
                closedHeader(request), null);
        return store.create(path, spec, request.body(), fork, writer).thenApply(created -> answer(path, created, request));
    }

    private StreamFork fork(String forkedFrom, HttpRequestData request) throws BadRequest {
        String offset = request.header(StreamHeaders.FORK_OFFSET);
        String sub = request.header(StreamHeaders.FORK_SUB_OFFSET);
        if (forkedFrom == null) {
            if (sub != null) {
                throw new BadRequest("Stream-Fork-Sub-Offset requires Stream-Forked-From");
            }
            return null;
        }
        Long position = null;
        if (offset != null) {
            long p = StreamOffsets.parse(offset);
            if (p < 0) {
                throw new BadRequest("Invalid Stream-Fork-Offset format");
            }
            position = p;
        }
        long subOffset = 0;
        if (sub != null) {
            if (!DECIMAL.matcher(sub).matches() || sub.length() > 15) {
                throw new BadRequest("Invalid Stream-Fork-Sub-Offset format");
            }
            subOffset = Long.parseLong(sub);
            if (subOffset > 0 && offset == null) {
                throw new BadRequest("Stream-Fork-Sub-Offset needs Stream-Fork-Offset");
            }
        }
        return new StreamFork(paths.forkSource(forkedFrom), position, subOffset);
    }

    private HttpResult answer(String path, StreamCreated created, HttpRequestData request) {
        return switch (created.outcome()) {
            case CREATED, EXISTS -> {
                StreamState state = created.state();
                Map<String, String> headers = StreamHeaders.common();
                headers.put(StreamHeaders.NEXT_OFFSET, state.tailOffset());
                if (state.closed()) {
                    headers.put(StreamHeaders.CLOSED, "true");
                }
                boolean isNew = created.outcome() == StreamCreated.Outcome.CREATED;
                if (isNew) {
                    headers.put("Location", paths.url(request, path));
                }
                yield StreamAnswers.empty(isNew ? 201 : 200, state.spec().contentType(), headers);
            }
            case CONFLICT -> StreamAnswers.text(409, "Stream already exists with a different configuration"
                    + " (or its path is held by a deleted stream that forks still read)");
            case SOURCE_NOT_FOUND -> StreamAnswers.text(404, "Source stream not found");
            case SOURCE_GONE -> StreamAnswers.text(409, "Source stream was deleted (its forks still read it)");
            case BAD_FORK_OFFSET -> StreamAnswers.text(400, "Fork offset beyond the source stream's tail");
            case BAD_SUB_OFFSET -> StreamAnswers.text(400, "Invalid fork sub-offset: past the source's next message");
            case CONTENT_TYPE_MISMATCH -> StreamAnswers.text(409, "Content type differs from the source stream's");
            case INVALID_JSON -> StreamAnswers.text(400, "Invalid JSON");
            case TOO_LARGE -> StreamAnswers.text(413, "Initial body over the stream's or the node's byte limit");
            case TOO_MANY -> StreamAnswers.text(429, "Too many streams for this node or this writer");
        };
    }

    // ---- POST -----------------------------------------------------------------------------------------------

    CompletableFuture<HttpResult> append(String path, HttpRequestData request) throws BadRequest {
        boolean close = closedHeader(request);
        Producer producer = producer(request);
        byte[] body = request.body();
        if (body.length == 0 && !close) {
            throw new BadRequest("Empty body (only a close, Stream-Closed: true, may have none)");
        }
        String contentType = request.header("Content-Type");
        if (body.length > 0 && (contentType == null || contentType.isBlank())) {
            throw new BadRequest("Content-Type header is required");
        }
        StreamAppend append = new StreamAppend(body, contentType, request.header(StreamHeaders.SEQ), producer, close);
        boolean closeOnly = body.length == 0;
        return store.append(path, append).thenApply(result -> answer(result, producer, closeOnly));
    }

    private static Producer producer(HttpRequestData request) throws BadRequest {
        String id = request.header(StreamHeaders.PRODUCER_ID);
        String epoch = request.header(StreamHeaders.PRODUCER_EPOCH);
        String seq = request.header(StreamHeaders.PRODUCER_SEQ);
        if (id == null && epoch == null && seq == null) {
            return null;
        }
        if (id == null || epoch == null || seq == null) {
            throw new BadRequest("Producer-Id, Producer-Epoch and Producer-Seq go together");
        }
        if (id.isEmpty()) {
            throw new BadRequest("Invalid Producer-Id: must not be empty");
        }
        return new Producer(id, integer(epoch, "Producer-Epoch"), integer(seq, "Producer-Seq"));
    }

    private static long integer(String value, String name) throws BadRequest {
        if (!DIGITS.matcher(value).matches() || value.length() > 16) {
            throw new BadRequest("Invalid " + name + ": a non-negative integer");
        }
        long v = Long.parseLong(value);
        if (v > Producer.MAX) {
            throw new BadRequest("Invalid " + name + ": at most 2^53-1");
        }
        return v;
    }

    private static HttpResult answer(StreamAppended r, Producer producer, boolean closeOnly) {
        Map<String, String> headers = StreamHeaders.common();
        return switch (r.outcome()) {
            case APPENDED -> {
                headers.put(StreamHeaders.NEXT_OFFSET, StreamOffsets.format(r.tail()));
                if (r.closed()) {
                    headers.put(StreamHeaders.CLOSED, "true");
                }
                if (producer != null) {
                    headers.put(StreamHeaders.PRODUCER_EPOCH, Long.toString(r.epoch()));
                    headers.put(StreamHeaders.PRODUCER_SEQ, Long.toString(r.seq()));
                }
                yield StreamAnswers.empty(producer != null && !closeOnly ? 200 : 204, null, headers);
            }
            case DUPLICATE -> {
                headers.put(StreamHeaders.PRODUCER_EPOCH, Long.toString(r.epoch()));
                headers.put(StreamHeaders.PRODUCER_SEQ, Long.toString(r.seq()));
                if (r.closed()) {
                    headers.put(StreamHeaders.CLOSED, "true");
                    headers.put(StreamHeaders.NEXT_OFFSET, StreamOffsets.format(r.tail()));
                }
                yield StreamAnswers.empty(204, null, headers);
            }
            case CLOSED -> {
                headers.put(StreamHeaders.CLOSED, "true");
                headers.put(StreamHeaders.NEXT_OFFSET, StreamOffsets.format(r.tail()));
                yield closeOnly && producer == null ? StreamAnswers.empty(204, null, headers)
                        : StreamAnswers.text(409, "Stream is closed", headers);
            }
            case STALE_EPOCH -> {
                headers.put(StreamHeaders.PRODUCER_EPOCH, Long.toString(r.epoch()));
                yield StreamAnswers.text(403, "Stale producer epoch", headers);
            }
            case INVALID_EPOCH_SEQ -> StreamAnswers.text(400, "A new epoch must start with sequence 0");
            case SEQUENCE_GAP -> {
                headers.put(StreamHeaders.PRODUCER_EXPECTED_SEQ, Long.toString(r.seq()));
                headers.put(StreamHeaders.PRODUCER_RECEIVED_SEQ, Long.toString(r.received()));
                yield StreamAnswers.text(409, "Producer sequence gap", headers);
            }
            case CONTENT_TYPE_MISMATCH -> StreamAnswers.text(409, "Content-Type does not match the stream's");
            case SEQ_CONFLICT -> StreamAnswers.text(409, "Sequence conflict: Stream-Seq must increase");
            case NOT_FOUND -> StreamAnswers.text(404, "Stream not found");
            case GONE -> StreamAnswers.text(410, "Stream is gone");
            case INVALID_JSON -> StreamAnswers.text(400, "Invalid JSON");
            case EMPTY_ARRAY -> StreamAnswers.text(400, "Empty arrays are not allowed");
            case TOO_LARGE -> StreamAnswers.text(413, "Over the stream's or the node's byte limit");
        };
    }

    // ---- DELETE ---------------------------------------------------------------------------------------------

    CompletableFuture<HttpResult> delete(String path) {
        return store.delete(path).thenApply(outcome -> switch (outcome) {
            case NOT_FOUND -> StreamAnswers.text(404, "Stream not found");
            case GONE -> StreamAnswers.text(410, "Stream is gone");
            default -> StreamAnswers.empty(204, null, StreamHeaders.common());
        });
    }

    /** {@code Stream-Closed} counts only as exactly {@code true}, in any case; any other value is ignored. */
    static boolean closedHeader(HttpRequestData request) {
        return "true".equalsIgnoreCase(request.header(StreamHeaders.CLOSED));
    }
}
