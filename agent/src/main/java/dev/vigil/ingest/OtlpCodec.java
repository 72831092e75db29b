package dev.vigil.ingest;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import dev.vigil.ingest.OtlpDecoder.Encoding;
import java.nio.charset.StandardCharsets;

/** OTLP messages to and from bytes in either encoding. Immutable, so thread-safe. */
final class OtlpCodec {
    private static final JsonFormat.Parser JSON_PARSER = JsonFormat.parser().ignoringUnknownFields();
    private static final JsonFormat.Printer JSON_PRINTER = JsonFormat.printer().omittingInsignificantWhitespace();

    private OtlpCodec() {
    }

    /**
     * Reads {@code body} as a message of {@code prototype}'s type. Anything unreadable (truncated protobuf, invalid
     * UTF-8 in a string, malformed JSON, an id that is not hex) refuses the whole request; {@code what} prefixes the
     * message.
     */
    @SuppressWarnings("unchecked") // the parser and builder of T's prototype make a T
    static <T extends Message> T parse(byte[] body, Encoding encoding, T prototype, String what) throws BadPayloadException {
        String encodingName = encoding == Encoding.PROTOBUF ? "protobuf" : "json";
        try {
            if (encoding == Encoding.PROTOBUF) {
                return (T) prototype.getParserForType().parseFrom(body);
            }
            Message.Builder builder = prototype.newBuilderForType();
            JSON_PARSER.merge(OtlpJson.toProtoJson(body, prototype.getDescriptorForType(), what), builder);
            return (T) builder.build();
        } catch (InvalidProtocolBufferException e) {
            throw new BadPayloadException(what + ": invalid " + encodingName + " body (" + e.getMessage() + ")", e);
        } catch (RuntimeException e) { // JsonFormat reports some malformed input unchecked; untrusted input must not escape
            throw new BadPayloadException(what + ": invalid " + encodingName + " body (" + e.getMessage() + ")", e);
        }
    }

    static byte[] print(Message message, Encoding encoding) {
        if (encoding == Encoding.PROTOBUF) {
            return message.toByteArray();
        }
        try {
            return JSON_PRINTER.print(message).getBytes(StandardCharsets.UTF_8);
        } catch (InvalidProtocolBufferException e) { // only for google.protobuf.Any, which these messages do not hold
            throw new IllegalStateException("cannot print " + message.getDescriptorForType().getFullName(), e);
        }
    }
}
