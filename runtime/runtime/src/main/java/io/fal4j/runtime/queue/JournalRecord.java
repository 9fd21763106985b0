package io.fal4j.runtime.queue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * One event in the life of a queued request, as the {@link Journal} stores it. Replaying a request's
 * events in order gives its state; replaying one twice changes nothing.
 */
public sealed interface JournalRecord {

    /** The request the event belongs to. */
    String id();

    /** Whether the event must be on disk before anyone is told about it. */
    default boolean durable() {
        return true;
    }

    /**
     * A request was accepted: everything needed to run it again after a restart.
     *
     * @param endpoint the endpoint's path
     * @param body the JSON input
     * @param webhook the webhook URL, or empty
     * @param low whether it waits behind normal-priority requests
     * @param submittedAt epoch milliseconds
     * @param startBy epoch milliseconds by which it must have started, or 0
     * @param origin the scheme and authority the client called, for URLs in the answer
     */
    record Submitted(String id, String endpoint, byte[] body, String webhook, boolean low, long submittedAt,
            long startBy, String origin) implements JournalRecord {

        /** The same request without its input, kept once the request has completed. */
        Submitted withoutBody() {
            return new Submitted(id, endpoint, new byte[0], webhook, low, submittedAt, startBy, origin);
        }
    }

    /** A worker started the request (again, after a restart). */
    record Started(String id, long at) implements JournalRecord {

        @Override
        public boolean durable() {
            return false;
        }
    }

    /** The request's answer: status, body, extra headers, the error summary and the logs (JSON). */
    record Completed(String id, int status, byte[] body, Map<String, String> headers, String error,
            String errorType, byte[] logs, long startedAt, long at) implements JournalRecord {

        public Completed {
            headers = Map.copyOf(headers);
        }

        /** Whether the request succeeded. */
        public boolean ok() {
            return status >= 200 && status < 300;
        }
    }

    /** Where the webhook delivery stands: attempts made, and whether it is over (delivered or given up). */
    record Webhook(String id, int attempts, boolean done, boolean delivered) implements JournalRecord {

        @Override
        public boolean durable() {
            return false;
        }
    }

    /** The result's retention ran out: the request is forgotten. */
    record Expired(String id) implements JournalRecord {

        @Override
        public boolean durable() {
            return false;
        }
    }

    /** Appends the record as a frame: {@code [length][crc32c][record]}. */
    static void frame(JournalRecord record, ByteArrayOutputStream frames) {
        try {
            ByteArrayOutputStream body = new ByteArrayOutputStream(128);
            write(record, new DataOutputStream(body));
            byte[] bytes = body.toByteArray();
            CRC32C crc = new CRC32C();
            crc.update(bytes);
            DataOutputStream out = new DataOutputStream(frames);
            out.writeInt(bytes.length);
            out.writeInt((int) crc.getValue());
            out.write(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The record of a frame's body, or null when its checksum or content is wrong. */
    static JournalRecord unframe(byte[] body, int crc) {
        CRC32C check = new CRC32C();
        check.update(body);
        if ((int) check.getValue() != crc) {
            return null;
        }
        try {
            return read(new DataInputStream(new ByteArrayInputStream(body)));
        } catch (IOException e) {
            return null;
        }
    }

    /** Writes the record in the journal's binary form. */
    static void write(JournalRecord record, DataOutputStream out) throws IOException {
        if (record instanceof Submitted s) {
            out.writeByte(1);
            string(out, s.id());
            string(out, s.endpoint());
            bytes(out, s.body());
            string(out, s.webhook());
            out.writeBoolean(s.low());
            out.writeLong(s.submittedAt());
            out.writeLong(s.startBy());
            string(out, s.origin());
        } else if (record instanceof Started s) {
            out.writeByte(2);
            string(out, s.id());
            out.writeLong(s.at());
        } else if (record instanceof Completed c) {
            out.writeByte(3);
            string(out, c.id());
            out.writeInt(c.status());
            bytes(out, c.body());
            out.writeInt(c.headers().size());
            for (Map.Entry<String, String> header : c.headers().entrySet()) {
                string(out, header.getKey());
                string(out, header.getValue());
            }
            string(out, c.error());
            string(out, c.errorType());
            bytes(out, c.logs());
            out.writeLong(c.startedAt());
            out.writeLong(c.at());
        } else if (record instanceof Webhook w) {
            out.writeByte(4);
            string(out, w.id());
            out.writeInt(w.attempts());
            out.writeBoolean(w.done());
            out.writeBoolean(w.delivered());
        } else {
            out.writeByte(5);
            string(out, record.id());
        }
    }

    /** Reads a record written by {@link #write}. */
    static JournalRecord read(DataInputStream in) throws IOException {
        int kind = in.readByte();
        return switch (kind) {
            case 1 -> new Submitted(string(in), string(in), bytes(in), string(in), in.readBoolean(), in.readLong(),
                    in.readLong(), string(in));
            case 2 -> new Started(string(in), in.readLong());
            case 3 -> {
                String id = string(in);
                int status = in.readInt();
                byte[] body = bytes(in);
                int count = in.readInt();
                Map<String, String> headers = new LinkedHashMap<>();
                for (int i = 0; i < count; i++) {
                    headers.put(string(in), string(in));
                }
                yield new Completed(id, status, body, headers, string(in), string(in), bytes(in), in.readLong(),
                        in.readLong());
            }
            case 4 -> new Webhook(string(in), in.readInt(), in.readBoolean(), in.readBoolean());
            case 5 -> new Expired(string(in));
            default -> throw new IOException("unknown journal record kind " + kind);
        };
    }

    private static void string(DataOutputStream out, String value) throws IOException {
        bytes(out, value == null ? new byte[0] : value.getBytes(StandardCharsets.UTF_8));
    }

    private static String string(DataInputStream in) throws IOException {
        return new String(bytes(in), StandardCharsets.UTF_8);
    }

    private static void bytes(DataOutputStream out, byte[] value) throws IOException {
        out.writeInt(value.length);
        out.write(value);
    }

    private static byte[] bytes(DataInputStream in) throws IOException {
        int length = in.readInt();
        if (length < 0 || length > in.available()) {
            throw new IOException("journal record field of " + length + " bytes does not fit the record");
        }
        return in.readNBytes(length);
    }
}
